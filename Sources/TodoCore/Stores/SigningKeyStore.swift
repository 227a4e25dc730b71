import Foundation

/// A JWT signing key pair as stored in Better Auth's `jwks` table.
public struct StoredSigningKey: Sendable, Equatable {
    /// The key id (`kid`).
    public var id: String
    /// The public key as a JWK JSON object.
    public var publicKey: String
    /// The private key, sealed with a key derived from `BETTER_AUTH_SECRET`.
    public var privateKey: String
    public var createdAt: Date
    public var expiresAt: Date?

    public init(id: String, publicKey: String, privateKey: String, createdAt: Date, expiresAt: Date? = nil) {
        self.id = id
        self.publicKey = publicKey
        self.privateKey = privateKey
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Persistence of JWT signing keys, shared by every replica.
public protocol SigningKeyStore: Sendable {
    /// All keys, newest first.
    func signingKeys() async throws -> [StoredSigningKey]
    func addSigningKey(_ key: StoredSigningKey) async throws
    /// Adds `key` unless `present` finds a key it can use among the stored ones, checked and added atomically
    /// across replicas (so replicas starting together make one key, not one each); true when it was added.
    func addSigningKey(_ key: StoredSigningKey, unless present: @escaping @Sendable ([StoredSigningKey]) -> Bool) async throws -> Bool
    /// Sets the expiry of every key but `id` to `expiresAt`, unless it expires sooner already.
    func retireSigningKeys(except id: String, expiresAt: Date) async throws
    func deleteSigningKeys(expiredBefore date: Date) async throws
}
