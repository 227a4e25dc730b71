import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TodoAuth
import TodoCore

/// Better Auth's account routes on its paths and bodies: `ok`, `update-user`, `change-password`, `list-sessions`,
/// `revoke-session`, `revoke-sessions`, `revoke-other-sessions` and `delete-user`. Each needs a session; a change
/// made with the cookie must come from a trusted Origin, like every other cookie-authenticated change.
struct AccountController {
    let auth: AuthService
    let resolver: SessionResolver
    let cookie: SessionCookie
    let origins: OriginPolicy
    let signIn: AuthController
    /// The per-user request limit of every authenticated route (`RATE_LIMIT_PER_MINUTE`) holds here too.
    let limiter: ReplicaRateLimiter
    let requestsPerMinute: Int

    func register(on router: Router<APIRequestContext>) {
        let group = router.group("api/auth")
        group.get("ok") { _, _ in Response.json(.ok, ["ok": true]) }
        group.post("update-user", use: updateUser)
        group.post("change-password", use: changePassword)
        group.get("list-sessions", use: listSessions)
        group.post("revoke-session", use: revokeSession)
        group.post("revoke-sessions", use: revokeSessions)
        group.post("revoke-other-sessions", use: revokeOtherSessions)
        group.post("delete-user", use: deleteUser)
    }

    struct UpdateUserRequest: Decodable {
        let name: String?
        let image: String??

        enum CodingKeys: String, CodingKey { case name, image }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            // Absent leaves the image; null removes it.
            image = container.contains(.image) ? .some(try container.decodeIfPresent(String.self, forKey: .image)) : nil
        }
    }

    struct ChangePasswordRequest: Decodable {
        let newPassword: String
        let currentPassword: String
        let revokeOtherSessions: Bool?
    }

    struct ChangePasswordResponse: Encodable {
        let token: String?
        let user: User

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(token, forKey: .token)
            try container.encode(user, forKey: .user)
        }

        enum CodingKeys: String, CodingKey { case token, user }
    }

    struct RevokeSessionRequest: Decodable {
        let token: String
    }

    struct DeleteUserRequest: Decodable {
        let password: String?
    }

    struct Status: Encodable {
        let status = true
    }

    struct Deleted: Encodable {
        let success = true
        let message = "User deleted"
    }

    /// The signed-in caller; for a change, a cookie must come with a trusted Origin.
    func caller(_ request: Request, changing: Bool) async throws -> Caller {
        guard let caller = try await resolver.resolve(request), caller.session != nil else {
            throw TodoError.unauthorized(message: "Sign in first.")
        }
        if changing { try origins.check(request, credential: caller.credential) }
        try await limiter.check("user:\(caller.user.id)", perMinute: requestsPerMinute)
        return caller
    }

    @Sendable func updateUser(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try await caller(request, changing: true)
        let body = try await request.decodeJSON(UpdateUserRequest.self, context: context)
        _ = try await auth.updateUser(caller.user, token: caller.session?.token, name: body.name, image: body.image)
        return .json(.ok, Status())
    }

    @Sendable func changePassword(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try await caller(request, changing: true)
        let body = try await request.decodeJSON(ChangePasswordRequest.self, context: context)
        try await signIn.limitAttempts(request, context: context, email: caller.user.email, route: "change-password")
        let fresh = try await auth.changePassword(
            caller.user, current: body.currentPassword, new: body.newPassword, revokeOthers: body.revokeOtherSessions ?? false,
            ipAddress: signIn.clientAddresses.address(of: request, peer: context.remoteAddress), userAgent: request.headers[.userAgent]
        )
        context.logger.info("password changed", metadata: ["user_id": .string(caller.user.id), "sessions_revoked": .stringConvertible(fresh != nil)])
        return .json(
            .ok, ChangePasswordResponse(token: fresh?.session.token, user: caller.user), headers: fresh.map { cookie.granting($0.session.token) } ?? []
        )
    }

    @Sendable func listSessions(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try await caller(request, changing: false)
        return .json(.ok, try await auth.sessions(of: caller.user))
    }

    @Sendable func revokeSession(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try await caller(request, changing: true)
        let body = try await request.decodeJSON(RevokeSessionRequest.self, context: context)
        try await auth.revokeSession(token: body.token, of: caller.user)
        return .json(.ok, Status())
    }

    @Sendable func revokeSessions(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try await caller(request, changing: true)
        try await auth.revokeSessions(of: caller.user, keeping: nil)
        var response = Response.json(.ok, Status())
        cookie.clearAll(in: &response.headers)
        return response
    }

    @Sendable func revokeOtherSessions(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try await caller(request, changing: true)
        try await auth.revokeSessions(of: caller.user, keeping: caller.session?.token)
        return .json(.ok, Status())
    }

    /// With the password, or from a session started within the last day (Better Auth's `freshAge`).
    @Sendable func deleteUser(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try await caller(request, changing: true)
        let body = try await request.decodeJSON(DeleteUserRequest.self, context: context)
        try await signIn.limitAttempts(request, context: context, email: caller.user.email, route: "delete-user")
        try await auth.deleteUser(caller.user, password: body.password, session: caller.session)
        context.logger.info("account deleted", metadata: ["user_id": .string(caller.user.id)])
        var response = Response.json(.ok, Deleted())
        cookie.clearAll(in: &response.headers)
        return response
    }
}
