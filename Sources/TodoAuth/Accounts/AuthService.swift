import Foundation
import TodoCore

/// Sign-up, sign-in, session lookup and sign-out with Better Auth's rules: 7-day sessions, refreshed when a day old;
/// a session that is not to be remembered lasts one day and is never extended.
public struct AuthService: Sendable {
    public static let sessionLifetime: TimeInterval = 7 * 24 * 3600
    public static let refreshAge: TimeInterval = 24 * 3600
    /// Better Auth's lifetime of a `rememberMe: false` session.
    public static let unrememberedLifetime: TimeInterval = 24 * 3600

    let store: any UserStore & SessionStore & VerificationStore
    let hasher: PasswordHasher
    let now: @Sendable () -> Date
    let verified: VerifiedSessionCache
    /// Account emails (reset, verification); nil turns those routes off.
    let emails: AccountEmails?

    public init(
        store: any UserStore & SessionStore & VerificationStore, hasher: PasswordHasher = PasswordHasher(),
        sessionCache: VerifiedSessionCache = VerifiedSessionCache(timeToLive: .zero), emails: AccountEmails? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.hasher = hasher
        self.verified = sessionCache
        self.emails = emails
        self.now = now
    }

    static let invalidCredentials = TodoError.unauthorized(code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password")
    // A well-formed hash of a random password, so an unknown email costs the same scrypt work as a wrong password.
    static let decoyHash = "00000000000000000000000000000000:" + String(repeating: "0", count: 128)

    /// Creates the account. It is signed in at once unless emails must be verified first; then (and whenever a
    /// mail server is configured) a verification link goes to the address. `callbackURL` is where that link ends.
    /// With `rememberMe` false the new session lasts a day and is never extended, as after such a sign-in.
    public func register(
        name: String, email: String, password: String, ipAddress: String?, userAgent: String?, rememberMe: Bool = true,
        callbackURL: String? = nil
    ) async throws -> (user: User, session: AuthenticatedSession?) {
        let name = try AccountRules.name(name)
        let email = try AccountRules.email(email)
        try PasswordHasher.validate(password)
        let user = try await store.createUser(name: name, email: email, passwordHash: try await hasher.hash(password))
        if let emails, emails.sendsOnSignUp { try await mailVerification(to: user, callbackURL: callbackURL) }
        if emails?.requireVerification == true { return (user, nil) }
        return (user, try await startSession(for: user, ipAddress: ipAddress, userAgent: userAgent, remember: rememberMe))
    }

    /// `register` for callers that need the session (the CLI, tests); fails when sign-in must wait for verification.
    public func signUp(name: String, email: String, password: String, ipAddress: String?, userAgent: String?) async throws -> AuthenticatedSession {
        guard let session = try await register(name: name, email: email, password: password, ipAddress: ipAddress, userAgent: userAgent).session
        else { throw Self.emailNotVerified }
        return session
    }

    /// Signs in with email and password; a wrong password and an unknown email fail alike, in similar time.
    /// With `rememberMe` false the session lasts a day and is never extended. When emails must be verified, an
    /// unverified account gets a fresh link and 403 `EMAIL_NOT_VERIFIED` (only after the password matched).
    public func signIn(
        email: String, password: String, ipAddress: String?, userAgent: String?, rememberMe: Bool = true, callbackURL: String? = nil
    ) async throws -> AuthenticatedSession {
        let normalized = EmailAddress.normalized(email)
        guard !normalized.utf8.contains(0), let credential = try await store.credential(email: normalized) else {
            _ = try await hasher.verify(password, against: Self.decoyHash)
            throw Self.invalidCredentials
        }
        guard try await hasher.verify(password, against: credential.passwordHash) else { throw Self.invalidCredentials }
        if emails?.requireVerification == true, !credential.user.emailVerified {
            try await mailVerification(to: credential.user, callbackURL: callbackURL)
            throw Self.emailNotVerified
        }
        return try await startSession(for: credential.user, ipAddress: ipAddress, userAgent: userAgent, remember: rememberMe)
    }

    static let emailNotVerified = TodoError.forbidden(code: "EMAIL_NOT_VERIFIED", message: "Email not verified")

    /// The live session for `token`: nil when unknown or expired (an expired one is deleted); extended when a day old.
    /// A session verified within the cache's time to live is answered from memory.
    public func authenticate(token: String) async throws -> AuthenticatedSession? {
        try await authenticateRefreshing(token: token)?.session
    }

    /// Like `authenticate`, and says whether this call extended the session: then the cookie must be sent again
    /// with the new lifetime (as Better Auth does), or the browser drops it 7 days after sign-in however active.
    public func authenticateRefreshing(token: String) async throws -> (session: AuthenticatedSession, refreshed: Bool)? {
        let now = self.now()
        if let cached = verified.session(token: token, now: now) { return (cached, false) }
        guard var found = try await store.session(token: token) else { return nil }
        guard found.session.expiresAt > now else {
            try await store.deleteSession(token: token)
            return nil
        }
        var refreshed = false
        if Self.isRemembered(found.session), now.timeIntervalSince(found.session.updatedAt) >= Self.refreshAge {
            let expiresAt = now.addingTimeInterval(Self.sessionLifetime)
            try await store.extendSession(id: found.session.id, expiresAt: expiresAt)
            found.session.expiresAt = expiresAt
            found.session.updatedAt = now
            refreshed = true
        }
        verified.store(found, token: token, now: now)
        return (found, refreshed)
    }

    /// Ends the session: the token stops working at once on this replica, and on the others within the session
    /// cache's time to live.
    public func signOut(token: String) async throws {
        try await store.deleteSession(token: token)
        verified.remove(token: token)
    }

    /// A session started with `rememberMe: false` spans one day from its creation; every other spans more.
    static func isRemembered(_ session: Session) -> Bool {
        session.expiresAt.timeIntervalSince(session.createdAt) > Self.unrememberedLifetime + 60
    }

    func startSession(for user: User, ipAddress: String?, userAgent: String?, remember: Bool = true) async throws -> AuthenticatedSession {
        let lifetime = remember ? Self.sessionLifetime : Self.unrememberedLifetime
        let started = now()
        let session = try await store.createSession(
            userID: user.id, token: RandomID.make(), startedAt: started, expiresAt: started.addingTimeInterval(lifetime),
            ipAddress: ipAddress, userAgent: userAgent.map { String($0.prefix(512)) }
        )
        return AuthenticatedSession(session: session, user: user)
    }
}
