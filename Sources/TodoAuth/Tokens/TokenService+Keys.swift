import Foundation
import TodoCore

/// Rotating the signing keys and reporting their states (`todo-chatbot keys`).
extension TokenService {
    /// Adds a new signing key and retires every other one: retired keys verify until `lifetime` (plus the time
    /// replicas may still sign with them) has passed, and keys past that are deleted. Returns the new key's id.
    public func rotate() async throws -> String {
        let key = try OwnKeyRing.makeKey(sealer: sealer, at: now())
        try await store.addSigningKey(key)
        let issuedUntil = now().addingTimeInterval(Self.keyCacheLifetime)
        try await store.retireSigningKeys(except: key.id, expiresAt: issuedUntil.addingTimeInterval(Self.lifetime))
        try await store.deleteSigningKeys(expiredBefore: now())
        ring = nil
        return key.id
    }

    /// The key table as this service reads it, newest first.
    public func keyStatuses() async throws -> [SigningKeyStatus] {
        let stored = try await store.signingKeys()
        let sealer = sealer
        let current = now()
        var signing = false
        return stored.map { key in
            let state: SigningKeyStatus.State
            if let expiresAt = key.expiresAt, expiresAt <= current {
                state = .expired
            } else if key.expiresAt == nil, !signing, sealer.unseal(key.privateKey) != nil {
                signing = true
                state = .signing
            } else {
                state = .verifying
            }
            return SigningKeyStatus(id: key.id, createdAt: key.createdAt, expiresAt: key.expiresAt, state: state)
        }
    }
}

/// One row of the key table and what it is used for now.
public struct SigningKeyStatus: Sendable, Equatable {
    /// What a key does: signs new tokens, only verifies old ones, or is past its expiry.
    public enum State: String, Sendable { case signing, verifying, expired }
    public var id: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var state: State
}
