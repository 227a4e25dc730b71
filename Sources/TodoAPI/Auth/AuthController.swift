import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TodoAuth
import TodoCore

/// Better Auth's email-and-password routes under `/api/auth`, with its paths and JSON shapes.
struct AuthController {
    let auth: AuthService
    let resolver: SessionResolver
    let cookie: SessionCookie

    struct SignUpRequest: Decodable {
        let name: String
        let email: String
        let password: String
    }

    struct SignInRequest: Decodable {
        let email: String
        let password: String
    }

    struct SignUpResponse: Encodable {
        let token: String
        let user: User
    }

    struct SignInResponse: Encodable {
        let redirect = false
        let token: String
        let user: User
    }

    struct SessionResponse: Encodable {
        let session: Session
        let user: User
    }

    struct SignOutResponse: Encodable {
        let success = true
    }

    func register(on router: Router<APIRequestContext>) {
        let group = router.group("api/auth")
        group.post("sign-up/email", use: signUp)
        group.post("sign-in/email", use: signIn)
        group.post("sign-out", use: signOut)
        group.get("get-session", use: getSession)
    }

    @Sendable func signUp(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(SignUpRequest.self, context: context)
        let started = try await auth.signUp(
            name: body.name, email: body.email, password: body.password,
            ipAddress: context.remoteAddress, userAgent: request.headers[.userAgent]
        )
        context.logger.info("signed up", metadata: ["user_id": .string(started.user.id)])
        return .json(.ok, SignUpResponse(token: started.session.token, user: started.user), setCookie: cookie.setting(started.session.token))
    }

    @Sendable func signIn(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(SignInRequest.self, context: context)
        let started = try await auth.signIn(
            email: body.email, password: body.password, ipAddress: context.remoteAddress,
            userAgent: request.headers[.userAgent]
        )
        return .json(.ok, SignInResponse(token: started.session.token, user: started.user), setCookie: cookie.setting(started.session.token))
    }

    @Sendable func signOut(_ request: Request, context: APIRequestContext) async throws -> Response {
        if let credential = resolver.credential(request) { try await auth.signOut(token: credential.token) }
        return .json(.ok, SignOutResponse(), setCookie: cookie.clearing())
    }

    /// `{session, user}` for a live session, or JSON `null`, as Better Auth answers.
    @Sendable func getSession(_ request: Request, context: APIRequestContext) async throws -> Response {
        guard let (found, _) = try await resolver.resolve(request) else {
            return .json(.ok, Optional<SessionResponse>.none)
        }
        return .json(.ok, SessionResponse(session: found.session, user: found.user))
    }
}
