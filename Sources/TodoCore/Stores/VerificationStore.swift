import Foundation

/// A row of Better Auth's `verification` table: what a one-time link stands for, until when.
public struct VerificationValue: Sendable, Equatable {
    public var value: String
    public var expiresAt: Date

    public init(value: String, expiresAt: Date) {
        self.value = value
        self.expiresAt = expiresAt
    }
}

/// Persistence of one-time tokens (password reset, email verification) in Better Auth's `verification` table.
/// Identifiers carry a hash of the token, never the token itself, so a leaked table opens no account.
public protocol VerificationStore: Sendable {
    func createVerification(identifier: String, value: String, expiresAt: Date) async throws
    /// The row, expired or not, without using it up.
    func verification(identifier: String) async throws -> VerificationValue?
    /// Deletes the row and returns it, in one statement: of two requests racing with one token only one gets it.
    func consumeVerification(identifier: String) async throws -> VerificationValue?
    /// Deletes every row whose identifier starts with `prefix` and whose value is `value` (a user's other links).
    func deleteVerifications(prefix: String, value: String) async throws
    /// Deletes rows that expired before `date`; returns how many.
    func purgeVerifications(expiredBefore date: Date) async throws -> Int
}
