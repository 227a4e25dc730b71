import Foundation

/// Persistence of sessions in Better Auth's `session` table.
public protocol SessionStore: Sendable {
    /// Stores a session that starts (`createdAt`, `updatedAt`) at `startedAt`: the caller's clock, the same one that
    /// set `expiresAt`, so the lifetime read back is the one chosen.
    func createSession(
        userID: String, token: String, startedAt: Date, expiresAt: Date, ipAddress: String?, userAgent: String?
    ) async throws -> Session
    /// The session with this token and its user, expired or not; the caller decides what expiry means.
    func session(token: String) async throws -> AuthenticatedSession?
    /// Moves the expiry forward and touches `updatedAt`.
    func extendSession(id: String, expiresAt: Date) async throws
    /// Deletes the session; deleting an unknown token is not an error.
    func deleteSession(token: String) async throws
    /// The user's sessions, newest first, expired ones left out.
    func sessions(userID: String, now: Date) async throws -> [Session]
    /// Deletes the user's sessions, all but `keeping` when given; returns the tokens it deleted.
    func deleteSessions(userID: String, keeping token: String?) async throws -> [String]
}
