import Foundation
import TodoCore

/// The account lifecycle on Better Auth's rules: the name, the password (checked against the current one), the
/// sessions a user can see and end, and deleting the account. Every ended session leaves this replica's cache at
/// once; other replicas drop it within the cache's time to live.
extension AuthService {
    static let invalidPassword = TodoError.badInput(code: "INVALID_PASSWORD", message: "Invalid password", field: "password")

    /// Changes the name and/or the image; an empty name is refused. The caller's session (`token`) is read afresh
    /// next time, so it shows the change at once; other sessions of the user within the cache's time to live.
    public func updateUser(_ user: User, token: String?, name: String?, image: String??) async throws -> User {
        let name = try name.map(AccountRules.name)
        if case .some(.some(let image)) = image { try TaskRules.storable(image, field: "image") }
        let updated = try await store.updateUser(id: user.id, name: name, image: image)
        forget(token.map { [$0] } ?? [])
        return updated
    }

    /// Better Auth's change-password: the current password must match, the new one obeys the length rule. With
    /// `revokeOthers` every session of the user ends and a fresh one is returned (its token goes to the client);
    /// otherwise the current session stays and nil is returned.
    public func changePassword(
        _ user: User, current: String, new: String, revokeOthers: Bool, ipAddress: String?, userAgent: String?
    ) async throws -> AuthenticatedSession? {
        try PasswordHasher.validate(new)
        try await checkPassword(current, of: user)
        try await store.setPassword(userID: user.id, passwordHash: try await hasher.hash(new))
        guard revokeOthers else { return nil }
        forget(try await store.deleteSessions(userID: user.id, keeping: nil))
        return try await startSession(for: user, ipAddress: ipAddress, userAgent: userAgent)
    }

    /// The user's live sessions, newest first.
    public func sessions(of user: User) async throws -> [Session] {
        try await store.sessions(userID: user.id, now: now())
    }

    /// Ends one of the user's sessions; a token that is not theirs (or unknown) ends nothing.
    public func revokeSession(token: String, of user: User) async throws {
        guard let found = try await store.session(token: token), found.user.id == user.id else { return }
        try await signOut(token: token)
    }

    /// Ends every session of the user, or every other one when `keeping` names the current one.
    public func revokeSessions(of user: User, keeping token: String?) async throws {
        forget(try await store.deleteSessions(userID: user.id, keeping: token))
    }

    /// Better Auth's `freshAge`: a session younger than this may delete its account without the password.
    public static let freshAge: TimeInterval = 24 * 3600

    /// Deletes the account and all its data, as Better Auth allows it: with the password, or without it from a
    /// session started within the last day (400 `SESSION_EXPIRED` otherwise: sign in again, or give the password).
    public func deleteUser(_ user: User, password: String?, session: Session?) async throws {
        if let password, !password.isEmpty {
            try await checkPassword(password, of: user)
        } else {
            guard let session, now().timeIntervalSince(session.createdAt) < Self.freshAge else {
                throw TodoError.badInput(code: "SESSION_EXPIRED", message: "Session expired. Re-authenticate to perform this action.", field: "password")
            }
        }
        let tokens = try await store.sessions(userID: user.id, now: .distantPast).map(\.token)
        try await store.deleteUser(id: user.id)
        forget(tokens)
    }

    func checkPassword(_ password: String, of user: User) async throws {
        guard let credential = try await store.credential(email: user.email),
              try await hasher.verify(password, against: credential.passwordHash)
        else { throw Self.invalidPassword }
    }

    func forget(_ tokens: [String]) {
        for token in tokens { verified.remove(token: token) }
    }
}
