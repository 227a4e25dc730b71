import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TodoAuth
import TodoCore

/// Lets a request through only with a live session, and only with a trusted Origin when a cookie authenticates
/// a state-changing method (a bearer token is never sent by a browser on its own, so it needs no CSRF check).
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let resolver: SessionResolver
    let origins: OriginPolicy
    let limiter: ReplicaRateLimiter
    let requestsPerMinute: Int
    /// False for endpoints of programs rather than browsers (MCP): only `Authorization: Bearer` counts there.
    var acceptsCookies = true

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let caller = try await resolver.resolve(request, cookies: acceptsCookies) else {
            var response = APIProblem(status: .unauthorized, code: "UNAUTHORIZED", message: "Sign in first.").response()
            response.headers[.wwwAuthenticate] = #"Bearer realm="todo-chatbot""#
            return response
        }
        if !request.method.isSafe { try origins.check(request, credential: caller.credential) }
        try await limiter.check("user:\(caller.user.id)", perMinute: requestsPerMinute)
        var context = context
        context.user = caller.user
        context.logger[metadataKey: "user_id"] = .string(caller.user.id)
        var response = try await next(request, context)
        response.headers.append(contentsOf: caller.renewal(resolver.cookie))
        return response
    }
}

/// The origins a cookie-authenticated change may come from: our own (the public URL, or the Host the request
/// was sent to) and `TRUSTED_ORIGINS`.
struct OriginPolicy: Sendable {
    let publicOrigin: String?
    let trusted: Set<String>

    init(publicURL: String?, trusted: [String]) {
        publicOrigin = publicURL.flatMap(WebOrigin.of)
        self.trusted = Set(trusted.compactMap(WebOrigin.of))
    }

    func allows(_ request: Request) -> Bool {
        let claimed = request.headers[.origin] ?? request.headers[.referer].flatMap(WebOrigin.of)
        guard let claimed, let origin = WebOrigin.of(claimed) else { return false }
        if trusts(origin) { return true }
        guard let host = request.head.authority else { return false }
        return origin == "http://\(host.lowercased())" || origin == "https://\(host.lowercased())"
    }

    /// The CSRF rule of every change: one authenticated by the cookie must come from a trusted origin; a bearer
    /// credential is never sent by a browser on its own, so it needs no check.
    func check(_ request: Request, credential: Credential) throws {
        guard case .cookie = credential, !allows(request) else { return }
        throw TodoError.forbidden(message: "The request's Origin is not trusted. Use the app's own origin or list it in TRUSTED_ORIGINS.")
    }

    /// Whether a normalised origin is the public URL's or listed in `TRUSTED_ORIGINS`.
    func trusts(_ origin: String) -> Bool {
        origin == publicOrigin || trusted.contains(origin)
    }
}

extension HTTPRequest.Method {
    /// GET, HEAD and OPTIONS change nothing, so they need no CSRF check.
    var isSafe: Bool { self == .get || self == .head || self == .options }
}
