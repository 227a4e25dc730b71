import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TodoAuth
import TodoCore

/// Better Auth's routes that send or follow a link by email: `request-password-reset` (and its old name
/// `forget-password`), `reset-password` (the link, then the new password), `send-verification-email`,
/// `verify-email` and `change-email`. Sending is limited per client address and per email, as Better Auth limits it
/// (3 a minute), so nobody can flood an inbox through us.
struct EmailLinkController {
    let auth: AuthService
    let signIn: AuthController
    let account: AccountController
    /// Emails a minute per client address and per address mailed.
    let mailsPerMinute: Int

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let resetAnswer = "If this email exists in our system, check your email for the reset link"

    func register(on router: Router<APIRequestContext>) {
        let group = router.group("api/auth")
        group.post("request-password-reset", use: requestPasswordReset)
        group.post("forget-password", use: requestPasswordReset)
        group.get("reset-password/:token", use: followResetLink)
        group.post("reset-password", use: resetPassword)
        group.post("send-verification-email", use: sendVerificationEmail)
        group.get("verify-email", use: verifyEmail)
        group.post("change-email", use: changeEmail)
    }

    struct ResetRequest: Decodable {
        let email: String
        let redirectTo: String?
    }

    struct ResetRequested: Encodable {
        let status = true
        let message = EmailLinkController.resetAnswer
    }

    struct NewPassword: Decodable {
        let newPassword: String
        let token: String?
    }

    struct VerificationRequest: Decodable {
        let email: String
        let callbackURL: String?
    }

    struct ChangeEmailRequest: Decodable {
        let newEmail: String
        let callbackURL: String?
    }

    /// `{"status": true, "user": …}`: the user after a change, null after a plain verification (Better Auth's shape).
    struct Verified: Encodable {
        let status = true
        let user: User?

        enum CodingKeys: String, CodingKey { case status, user }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encode(user, forKey: .user)
        }
    }

    func limitMail(_ request: Request, context: APIRequestContext, email: String) async throws {
        let address = signIn.clientAddresses.address(of: request, peer: context.remoteAddress)
        try await signIn.limiter.check("mail:ip:\(address)", perMinute: mailsPerMinute)
        let account = EmailAddress.normalized(email).replacingOccurrences(of: "\0", with: "")
        try await signIn.limiter.check("mail:email:\(account)", perMinute: mailsPerMinute)
    }

    @Sendable func requestPasswordReset(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(ResetRequest.self, context: context)
        let callback = try signIn.checkedCallback(body.redirectTo, redirect: true)
        try await limitMail(request, context: context, email: body.email)
        try await auth.requestPasswordReset(email: body.email, callbackURL: callback)
        return .json(.ok, ResetRequested())
    }

    /// The link in the email: to the reset page with the token while it is good, else with `error=INVALID_TOKEN`.
    @Sendable func followResetLink(_ request: Request, context: APIRequestContext) async throws -> Response {
        let callback = try signIn.checkedCallback(request.uri.queryParameters.get("callbackURL")) ?? "/reset-password"
        let token = context.parameters.get("token") ?? ""
        let valid = try await auth.resetTokenIsValid(token)
        return Self.redirect(to: callback, adding: valid ? ("token", token) : ("error", "INVALID_TOKEN"))
    }

    @Sendable func resetPassword(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(NewPassword.self, context: context)
        try await auth.resetPassword(token: body.token ?? request.uri.queryParameters.get("token"), newPassword: body.newPassword)
        context.logger.info("password reset")
        return .json(.ok, AccountController.Status())
    }

    /// Signed in, the email must be the caller's; signed out, the answer is the same for every address.
    @Sendable func sendVerificationEmail(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(VerificationRequest.self, context: context)
        let callback = try signIn.checkedCallback(body.callbackURL)
        try await limitMail(request, context: context, email: body.email)
        let caller = try await signIn.resolver.resolve(request)
        try await auth.sendVerificationEmail(email: body.email, caller: caller?.session != nil ? caller?.user : nil, callbackURL: callback)
        return .json(.ok, AccountController.Status())
    }

    /// The link in a verification or change email. With a callbackURL the browser goes there (with `error=CODE`
    /// when the link is bad or the new address was taken meanwhile); without one the answer is JSON, 401 with the
    /// code when bad.
    @Sendable func verifyEmail(_ request: Request, context: APIRequestContext) async throws -> Response {
        let callback = try signIn.checkedCallback(request.uri.queryParameters.get("callbackURL"))
        let token = request.uri.queryParameters.get("token") ?? ""
        do {
            let user = try await auth.verifyEmail(token: token)
            context.logger.info("email verified", metadata: ["user_id": .string(user.id)])
            if let callback { return Self.redirect(to: callback, adding: nil) }
            return .json(.ok, Verified(user: user))
        } catch let error as TodoError where (400..<500).contains(ErrorMiddleware.problem(for: error).status.code) {
            // A bad link (401) or a new address taken meanwhile (422): the browser goes back with the reason.
            guard let callback else { throw error }
            return Self.redirect(to: callback, adding: ("error", error.code))
        }
    }

    @Sendable func changeEmail(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try await account.caller(request, changing: true)
        let body = try await request.decodeJSON(ChangeEmailRequest.self, context: context)
        let callback = try signIn.checkedCallback(body.callbackURL)
        try await signIn.limitAttempts(request, context: context, email: caller.user.email, route: "change-email")
        try await limitMail(request, context: context, email: body.newEmail)
        try await auth.changeEmail(caller.user, newEmail: body.newEmail, callbackURL: callback)
        return .json(.ok, AccountController.Status())
    }

    /// A 302 to a checked callback (a path here or a trusted origin), with one query parameter added.
    static func redirect(to callback: String, adding parameter: (String, String)?) -> Response {
        var location = callback
        if let (name, value) = parameter {
            location += (callback.contains("?") ? "&" : "?") + "\(name)=\(PercentEncoding.component(value))"
        }
        // The token is in the URL: no referrer may carry it on.
        return Response(status: .found, headers: [.location: location, .cacheControl: "no-store", Self.referrerPolicy: "no-referrer"])
    }
}
