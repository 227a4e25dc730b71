import HTTPTypes
import Hummingbird

/// Answers `HEAD` wherever `GET` is routed: the same status and headers, no body (RFC 9110 §9.3.2), so monitors and
/// caches that probe with HEAD are not told 404. It wraps the whole router, since the router matches the method
/// before any middleware runs.
public struct HeadResponder<Base: HTTPResponder>: HTTPResponder {
    public typealias Context = Base.Context
    let base: Base

    public init(_ base: Base) {
        self.base = base
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .head else { return try await base.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await base.respond(to: Request(head: head, body: request.body), context: context)
        let length = response.headers[.contentLength] ?? response.body.contentLength.map(String.init)
        response.body = ResponseBody()
        response.headers[.contentLength] = length
        return response
    }
}
