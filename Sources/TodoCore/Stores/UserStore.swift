/// A user together with the stored credential of Better Auth's `credential` provider.
public struct UserCredential: Sendable, Equatable {
    public var user: User
    /// The password in Better Auth's `hexsalt:hexkey` scrypt form.
    public var passwordHash: String

    public init(user: User, passwordHash: String) {
        self.user = user
        self.passwordHash = passwordHash
    }
}

/// Persistence of accounts in Better Auth's schema.
public protocol UserStore: Sendable {
    /// Creates the user and its credential account in one transaction; a taken email is `conflict(USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL)`, Better Auth's code.
    func createUser(name: String, email: String, passwordHash: String) async throws -> User
    func user(id: String) async throws -> User?
    /// The user with this (normalised) email and its password hash, if it has a credential account.
    func credential(email: String) async throws -> UserCredential?
    /// Changes the name, the image (`.some(nil)` removes it), or both; returns the user as it is now.
    func updateUser(id: String, name: String?, image: String??) async throws -> User
    /// Sets `emailVerified`, and the email too when `email` is given; a taken email is
    /// `conflict(USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL)`. Returns the user as it is now.
    func setEmail(userID: String, email: String?, verified: Bool) async throws -> User
    /// Replaces the password of the user's credential account.
    func setPassword(userID: String, passwordHash: String) async throws
    /// Deletes the user; everything that is theirs goes with them (sessions, accounts, tasks, conversations).
    func deleteUser(id: String) async throws
}
