import Crypto
import Foundation
import TodoCore

/// Password reset, email verification and email change, on Better Auth's routes and answers. Each link carries a
/// random token; the `verification` table keeps only its SHA-256, so reading the table opens no account.
extension AuthService {
    public static let linkLifetime: TimeInterval = 3600

    static let invalidToken = TodoError.badInput(code: "INVALID_TOKEN", message: "Invalid token", field: "token")
    static let emailsDisabled = TodoError.badInput(
        code: "EMAIL_NOT_CONFIGURED", message: "Account emails are not configured on this server", field: nil
    )

    /// What a stored link stands for.
    enum LinkKind: String {
        case resetPassword = "reset-password:"
        case verifyEmail = "verify-email:"

        func identifier(_ token: String) -> String {
            rawValue + SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
        }
    }

    /// The payload of an email link: whose, for which address, and the address to move to for a change.
    struct EmailClaim: Codable {
        let userId: String
        let email: String
        let newEmail: String?
    }

    // MARK: Password reset

    /// Better Auth's request-password-reset: a one-hour, single-use link goes to the address when an account has
    /// it; the answer (and the work before it) is the same either way, so nobody learns which emails exist.
    public func requestPasswordReset(email: String, callbackURL: String?) async throws {
        guard let emails else { throw Self.emailsDisabled }
        let email = try AccountRules.email(email)
        let token = RandomID.make(length: 32)
        let identifier = LinkKind.resetPassword.identifier(token)
        guard let user = try await store.credential(email: email)?.user else {
            // A read where the other path writes, as Better Auth does, so the two take about as long.
            _ = try await store.verification(identifier: identifier)
            return
        }
        try await store.createVerification(identifier: identifier, value: user.id, expiresAt: now().addingTimeInterval(Self.linkLifetime))
        let link = emails.link("reset-password/\(token)", [("callbackURL", callbackURL ?? "/reset-password")])
        emails.mailer.submit(AccountMail.passwordReset(to: user, link: link, appName: emails.appName))
    }

    /// Whether a reset link is still good, without using it up (the link in the email checks before the form).
    public func resetTokenIsValid(_ token: String) async throws -> Bool {
        guard !token.isEmpty, let found = try await store.verification(identifier: LinkKind.resetPassword.identifier(token)) else { return false }
        return found.expiresAt > now()
    }

    /// Sets a new password with a reset link's token. The token works once; the user's other reset links and all
    /// their sessions end too (a reset is how a stolen account is taken back), and the email counts as verified.
    public func resetPassword(token: String?, newPassword: String) async throws {
        guard let token, !token.isEmpty else { throw Self.invalidToken }
        try PasswordHasher.validate(newPassword)
        let identifier = LinkKind.resetPassword.identifier(token)
        // A made-up token costs one read, not the scrypt work of hashing; a real one is hashed before it is used up,
        // so a failure while hashing cannot waste the link.
        guard let seen = try await store.verification(identifier: identifier), seen.expiresAt > now() else { throw Self.invalidToken }
        let passwordHash = try await hasher.hash(newPassword)
        guard let found = try await store.consumeVerification(identifier: identifier), found.expiresAt > now() else {
            throw Self.invalidToken
        }
        guard let user = try await store.user(id: found.value) else {
            throw TodoError.badInput(code: "USER_NOT_FOUND", message: "User not found", field: nil)
        }
        try await store.setPassword(userID: user.id, passwordHash: passwordHash)
        if !user.emailVerified { _ = try await store.setEmail(userID: user.id, email: nil, verified: true) }
        try await store.deleteVerifications(prefix: LinkKind.resetPassword.rawValue, value: user.id)
        forget(try await store.deleteSessions(userID: user.id, keeping: nil))
    }

    // MARK: Email verification

    /// Better Auth's send-verification-email. Signed in: the email must be the caller's and not yet verified
    /// (400 otherwise). Signed out: always the same answer; a link goes only to an unverified account's address.
    public func sendVerificationEmail(email: String, caller: User?, callbackURL: String?) async throws {
        guard emails != nil else { throw Self.emailsDisabled }
        if let caller {
            guard EmailAddress.normalized(email) == caller.email else {
                throw TodoError.badInput(code: "EMAIL_MISMATCH", message: "Email mismatch", field: "email")
            }
            guard !caller.emailVerified else {
                throw TodoError.badInput(code: "EMAIL_ALREADY_VERIFIED", message: "Email is already verified", field: "email")
            }
            return try await mailVerification(to: caller, callbackURL: callbackURL)
        }
        let email = try AccountRules.email(email)
        guard let user = try await store.credential(email: email)?.user, !user.emailVerified else { return }
        try await mailVerification(to: user, callbackURL: callbackURL)
    }

    /// Better Auth's change-email: a link to the new address; the email changes (verified) when it is followed.
    /// An address another account has gets the same answer and no mail, so the route tells nobody who is signed up.
    public func changeEmail(_ user: User, newEmail: String, callbackURL: String?) async throws {
        guard let emails else { throw Self.emailsDisabled }
        let newEmail = try AccountRules.email(newEmail)
        guard newEmail != user.email else {
            throw TodoError.badInput(code: "EMAIL_IS_THE_SAME", message: "Email is the same", field: "newEmail")
        }
        guard try await store.credential(email: newEmail) == nil else { return }
        let token = try await storeEmailLink(EmailClaim(userId: user.id, email: user.email, newEmail: newEmail))
        let link = emails.link("verify-email", [("token", token), ("callbackURL", callbackURL ?? "/")])
        emails.mailer.submit(AccountMail.emailChange(to: newEmail, user: user, link: link, appName: emails.appName))
    }

    /// Follows a verification link: the email is verified, or changed to the new one for a change link (which works
    /// once). Following a plain link again is fine (mail scanners open links before people do).
    /// Fails with 401 `INVALID_TOKEN`, `TOKEN_EXPIRED` or `USER_NOT_FOUND`, Better Auth's codes.
    public func verifyEmail(token: String) async throws -> User {
        let identifier = LinkKind.verifyEmail.identifier(token)
        guard let found = try await store.verification(identifier: identifier),
              let claim = try? JSONDecoder().decode(EmailClaim.self, from: Data(found.value.utf8))
        else { throw TodoError.unauthorized(code: "INVALID_TOKEN", message: "Invalid token") }
        guard found.expiresAt > now() else { throw TodoError.unauthorized(code: "TOKEN_EXPIRED", message: "Token expired") }
        // A link sent before the address changed proves nothing about the new one.
        guard let user = try await store.user(id: claim.userId), user.email == claim.email else {
            throw TodoError.unauthorized(code: "USER_NOT_FOUND", message: "User not found")
        }
        let updated: User
        if let newEmail = claim.newEmail {
            guard try await store.consumeVerification(identifier: identifier) != nil else {
                throw TodoError.unauthorized(code: "INVALID_TOKEN", message: "Invalid token")
            }
            updated = try await store.setEmail(userID: user.id, email: newEmail, verified: true)
        } else {
            guard !user.emailVerified else { return user }
            updated = try await store.setEmail(userID: user.id, email: nil, verified: true)
        }
        // Cached sessions of this replica show the new address at once.
        forget(try await store.sessions(userID: user.id, now: .distantPast).map(\.token))
        return updated
    }

    func mailVerification(to user: User, callbackURL: String?) async throws {
        guard let emails else { throw Self.emailsDisabled }
        let token = try await storeEmailLink(EmailClaim(userId: user.id, email: user.email, newEmail: nil))
        let link = emails.link("verify-email", [("token", token), ("callbackURL", callbackURL ?? "/")])
        emails.mailer.submit(AccountMail.verification(to: user, link: link, appName: emails.appName))
    }

    private func storeEmailLink(_ claim: EmailClaim) async throws -> String {
        let token = RandomID.make(length: 32)
        let value = String(decoding: try JSONEncoder().encode(claim), as: UTF8.self)
        try await store.createVerification(
            identifier: LinkKind.verifyEmail.identifier(token), value: value, expiresAt: now().addingTimeInterval(Self.linkLifetime)
        )
        return token
    }
}
