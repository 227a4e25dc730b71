import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TodoAuth
import TodoCore

/// Better Auth's email-and-password routes under `/api/auth`, with its paths and JSON shapes.
struct AuthController {
    let auth: AuthService
    let tokens: TokenService
    let resolver: SessionResolver
    let cookie: SessionCookie
    let limiter: RateLimiter
    let attemptsPerMinute: Int
    let origins: OriginPolicy
    let clientAddresses: ClientAddressResolver

    /// Password guessing is limited per client address and per account, across replicas.
    func limitAttempts(_ request: Request, context: APIRequestContext, email: String) async throws {
        try await limiter.check("auth:ip:\(clientAddresses.address(of: request, peer: context.remoteAddress))", perMinute: attemptsPerMinute)
        // NUL cannot be stored in PostgreSQL; such an email fails validation right after this anyway.
        let account = EmailAddress.normalized(email).replacingOccurrences(of: "\0", with: "")
        try await limiter.check("auth:email:\(account)", perMinute: attemptsPerMinute)
    }

    struct SignUpRequest: Decodable {
        let name: String
        let email: String
        let password: String
    }

    struct SignInRequest: Decodable {
        let email: String
        let password: String
        /// Where Better Auth's client goes after signing in: a path here, or a URL of a trusted origin.
        let callbackURL: String?
    }

    struct SignUpResponse: Encodable {
        let token: String
        let user: User
    }

    /// `{"redirect", "token", "url"?, "user"}`: with a callbackURL, `redirect` is true and `url` is it.
    struct SignInResponse: Encodable {
        let token: String
        let user: User
        let url: String?

        var redirect: Bool { url != nil }

        enum CodingKeys: String, CodingKey { case redirect, token, url, user }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(redirect, forKey: .redirect)
            try container.encode(token, forKey: .token)
            try container.encodeIfPresent(url, forKey: .url)
            try container.encode(user, forKey: .user)
        }
    }

    /// A callbackURL is a path on this site or a URL of a trusted origin, never anywhere else (an open redirect
    /// after sign-in is a phishing tool); Better Auth answers 403 "Invalid callbackURL" too.
    func checkedCallback(_ url: String?) throws -> String? {
        guard let url, !url.isEmpty else { return nil }
        let isPath = url.hasPrefix("/") && !url.hasPrefix("//") && !url.contains("\\") && !url.contains(where: \.isNewline)
        guard isPath || WebOrigin.of(url).map(origins.trusts) == true else {
            throw TodoError.forbidden("Invalid callbackURL")
        }
        return url
    }

    struct SessionResponse: Encodable {
        let session: Session
        let user: User
    }

    struct SignOutResponse: Encodable {
        let success = true
    }

    struct TokenResponse: Encodable {
        let token: String
    }

    func register(on router: Router<APIRequestContext>) {
        let group = router.group("api/auth")
        group.post("sign-up/email", use: signUp)
        group.post("sign-in/email", use: signIn)
        group.post("sign-out", use: signOut)
        group.get("get-session", use: getSession)
        group.get("token", use: token)
        group.get("jwks", use: jwks)
    }

    @Sendable func signUp(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(SignUpRequest.self, context: context)
        try await limitAttempts(request, context: context, email: body.email)
        let started = try await auth.signUp(
            name: body.name, email: body.email, password: body.password,
            ipAddress: clientAddresses.address(of: request, peer: context.remoteAddress), userAgent: request.headers[.userAgent]
        )
        context.logger.info("signed up", metadata: ["user_id": .string(started.user.id)])
        return .json(.ok, SignUpResponse(token: started.session.token, user: started.user), setCookie: cookie.setting(started.session.token))
    }

    @Sendable func signIn(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(SignInRequest.self, context: context)
        let callback = try checkedCallback(body.callbackURL)
        try await limitAttempts(request, context: context, email: body.email)
        let started = try await auth.signIn(
            email: body.email, password: body.password, ipAddress: clientAddresses.address(of: request, peer: context.remoteAddress),
            userAgent: request.headers[.userAgent]
        )
        return .json(
            .ok, SignInResponse(token: started.session.token, user: started.user, url: callback), setCookie: cookie.setting(started.session.token)
        )
    }

    @Sendable func signOut(_ request: Request, context: APIRequestContext) async throws -> Response {
        guard let (credential, _) = resolver.credential(request), let token = credential.sessionToken else {
            return signedOut()
        }
        // Another site must not be able to sign a browser out.
        try origins.check(request, credential: credential)
        try await auth.signOut(token: token)
        return signedOut()
    }

    /// `{"success":true}` with every Better Auth cookie removed.
    func signedOut() -> Response {
        var response = Response.json(.ok, SignOutResponse())
        cookie.clearAll(in: &response.headers)
        return response
    }

    /// `{session, user}` for a live session, or JSON `null`, as Better Auth answers.
    @Sendable func getSession(_ request: Request, context: APIRequestContext) async throws -> Response {
        guard let caller = try await resolver.resolve(request), let session = caller.session else {
            return .json(.ok, Optional<SessionResponse>.none)
        }
        // Better Auth's clients call get-session on every page load: the usual place a day-old session is extended.
        return .json(.ok, SessionResponse(session: session, user: caller.user), setCookie: caller.renewal(cookie))
    }

    /// A 15-minute EdDSA JWT for the signed-in user, for services that verify it with `/api/auth/jwks`.
    @Sendable func token(_ request: Request, context: APIRequestContext) async throws -> Response {
        guard let caller = try await resolver.resolve(request), caller.session != nil else {
            throw TodoError.unauthorized(message: "Sign in first.")
        }
        return .json(.ok, TokenResponse(token: try await tokens.issue(for: caller.user)))
    }

    /// The public keys of our JWTs.
    @Sendable func jwks(_ request: Request, context: APIRequestContext) async throws -> Response {
        var response = Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: try await tokens.jwksJSON())))
        response.headers[.cacheControl] = "public, max-age=300"
        return response
    }
}
