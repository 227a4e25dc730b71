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
    let attemptsPer10s: Int?
    let origins: OriginPolicy
    let clientAddresses: ClientAddressResolver

    /// Password guessing is limited per client address and per account, across replicas; and per address and route
    /// as Better Auth limits its sign-in, sign-up, change-password and change-email (3 per 10 s).
    /// `route` names the route by a constant, so a path spelt another way counts as the same route.
    func limitAttempts(_ request: Request, context: APIRequestContext, email: String, route: String) async throws {
        let address = clientAddresses.address(of: request, peer: context.remoteAddress)
        if let attemptsPer10s { try await limiter.check("auth:10s:\(route):\(address)", limit: attemptsPer10s, window: 10) }
        try await limiter.check("auth:ip:\(address)", perMinute: attemptsPerMinute)
        // NUL cannot be stored in PostgreSQL; such an email fails validation right after this anyway.
        let account = EmailAddress.normalized(email).replacingOccurrences(of: "\0", with: "")
        try await limiter.check("auth:email:\(account)", perMinute: attemptsPerMinute)
    }

    struct SignUpRequest: Decodable {
        let name: String
        let email: String
        let password: String
        /// Where the verification link ends, when one is sent.
        let callbackURL: String?
        let rememberMe: Bool?
    }

    struct SignInRequest: Decodable {
        let email: String
        let password: String
        /// Where Better Auth's client goes after signing in: a path here, or a URL of a trusted origin.
        let callbackURL: String?
        /// False: the session lasts a day and its cookie until the browser closes.
        let rememberMe: Bool?
    }

    /// `{"token", "user"}`; the token is null while the email waits for verification (no session yet).
    struct SignUpResponse: Encodable {
        let token: String?
        let user: User

        enum CodingKeys: String, CodingKey { case token, user }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(token, forKey: .token)
            try container.encode(user, forKey: .user)
        }
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
    /// `redirectTo` (password reset) is checked the same way, with Better Auth's words for it.
    func checkedCallback(_ url: String?, redirect: Bool = false) throws -> String? {
        guard let url, !url.isEmpty else { return nil }
        // Browsers drop tabs and line breaks inside URLs, so "/\t/evil.example" would leave the site: no control
        // character or space is allowed at all.
        let isPath = url.hasPrefix("/") && !url.hasPrefix("//") && !url.contains("\\")
            && !url.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F }
        guard isPath || WebOrigin.of(url).map(origins.trusts) == true else {
            throw redirect
                ? TodoError.forbidden(code: "INVALID_REDIRECT_URL", message: "Invalid redirectURL")
                : TodoError.forbidden(code: "INVALID_CALLBACK_URL", message: "Invalid callbackURL")
        }
        return url
    }

    static let authJWTHeader = HTTPField.Name("set-auth-jwt")!

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
        let callback = try checkedCallback(body.callbackURL)
        try await limitAttempts(request, context: context, email: body.email, route: "sign-up")
        let (user, session) = try await auth.register(
            name: body.name, email: body.email, password: body.password,
            ipAddress: clientAddresses.address(of: request, peer: context.remoteAddress), userAgent: request.headers[.userAgent],
            rememberMe: body.rememberMe ?? true, callbackURL: callback
        )
        context.logger.info("signed up", metadata: ["user_id": .string(user.id), "signed_in": .stringConvertible(session != nil)])
        return .json(
            .ok, SignUpResponse(token: session?.session.token, user: user),
            headers: session.map { cookie.granting($0.session.token, remember: body.rememberMe ?? true) } ?? []
        )
    }

    @Sendable func signIn(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(SignInRequest.self, context: context)
        let callback = try checkedCallback(body.callbackURL)
        try await limitAttempts(request, context: context, email: body.email, route: "sign-in")
        let remember = body.rememberMe ?? true
        let started = try await auth.signIn(
            email: body.email, password: body.password, ipAddress: clientAddresses.address(of: request, peer: context.remoteAddress),
            userAgent: request.headers[.userAgent], rememberMe: remember, callbackURL: callback
        )
        return .json(
            .ok, SignInResponse(token: started.session.token, user: started.user, url: callback),
            headers: cookie.granting(started.session.token, remember: remember)
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
        // Its JWT plugin hands a fresh JWT out here too, in `set-auth-jwt`; the session is the answer, so a key store
        // that cannot sign right now costs the header, not the answer.
        let jwt = (try? await tokens.issue(for: caller.user)).map { [HTTPField(name: Self.authJWTHeader, value: $0)] } ?? []
        return .json(.ok, SessionResponse(session: session, user: caller.user), headers: caller.renewal(cookie) + jwt)
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
