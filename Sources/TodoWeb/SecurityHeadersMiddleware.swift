import HTTPTypes
import Hummingbird

/// Security headers on every response: a Content-Security-Policy that allows nothing inline and nothing from
/// another origin, no MIME sniffing, no referrer outside, no framing, no powerful features.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    static var permissionsPolicy: HTTPField.Name { HTTPField.Name("Permissions-Policy")! }
    static var frameOptions: HTTPField.Name { HTTPField.Name("X-Frame-Options")! }
    static var contentTypeOptions: HTTPField.Name { HTTPField.Name("X-Content-Type-Options")! }
    static var referrerPolicy: HTTPField.Name { HTTPField.Name("Referrer-Policy")! }
    static var csp: HTTPField.Name { HTTPField.Name("Content-Security-Policy")! }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[Self.csp] = Self.contentSecurityPolicy
        response.headers[Self.contentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "same-origin"
        response.headers[Self.frameOptions] = "DENY"
        response.headers[Self.permissionsPolicy] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        return response
    }
}
