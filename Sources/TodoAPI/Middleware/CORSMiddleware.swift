import Foundation
import HTTPTypes
import Hummingbird
import TodoCore

/// CORS for the origins the API trusts (`BETTER_AUTH_URL`'s and `TRUSTED_ORIGINS`), with credentials, so a frontend
/// on another origin (a Next.js app beside the API) can call it with its cookie, as Better Auth allows its trusted
/// origins. A preflight from such an origin is answered here; any other origin gets no CORS header at all, so the
/// browser keeps it out. Same-origin requests need none.
struct CORSMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let origins: OriginPolicy

    static let methods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
    /// Request headers a client of this API sends; a preflight asking for others is answered without them.
    static let allowedHeaders: Set<String> = [
        "accept", "authorization", "content-type", "last-event-id", "x-request-id", "x-time-zone", "mcp-session-id",
        "mcp-protocol-version", "better-auth-cookie",
    ]
    /// Response headers a script on the trusted origin may read.
    static let exposedHeaders = "Retry-After, X-Request-Id, Location, Mcp-Session-Id, Set-Auth-Token, Set-Auth-Jwt"
    static let requestMethod = HTTPField.Name("Access-Control-Request-Method")!
    static let requestHeaders = HTTPField.Name("Access-Control-Request-Headers")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let sent = request.headers[.origin], let origin = WebOrigin.of(sent), origins.trusts(origin) else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[Self.requestMethod] != nil {
            var response = Response(status: .noContent)
            Self.allow(origin, in: &response.headers)
            response.headers[.accessControlAllowMethods] = Self.methods
            let asked = (request.headers[Self.requestHeaders] ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { Self.allowedHeaders.contains($0) }
            if !asked.isEmpty { response.headers[.accessControlAllowHeaders] = asked.joined(separator: ", ") }
            response.headers[.accessControlMaxAge] = "600"
            return response
        }
        var response = try await next(request, context)
        Self.allow(origin, in: &response.headers)
        response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        return response
    }

    private static func allow(_ origin: String, in headers: inout HTTPFields) {
        headers[.accessControlAllowOrigin] = origin
        headers[.accessControlAllowCredentials] = "true"
        // Caches keep one answer per Origin.
        headers[.vary] = headers[.vary].map { $0.lowercased().contains("origin") ? $0 : $0 + ", Origin" } ?? "Origin"
    }
}
