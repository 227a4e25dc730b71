import HTTPTypes
import Hummingbird

/// `Strict-Transport-Security` on every response of a server that terminates TLS itself: after one visit, browsers
/// refuse to talk to it over plain HTTP, where a network attacker could strip TLS.
public struct StrictTransportSecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    static var name: HTTPField.Name { HTTPField.Name("Strict-Transport-Security")! }

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[Self.name] = "max-age=31536000"
        return response
    }
}
