import Crypto
import Foundation
import JWTKit
import TodoCore

/// Issues EdDSA (Ed25519) access tokens, publishes their JWKS, and verifies bearer JWTs: our own EdDSA tokens, those of
/// an external Better Auth, and (only when `HS256Policy` allows) HS256 tokens signed with `BETTER_AUTH_SECRET`.
/// `alg: none`, unknown algorithms and unknown keys are refused.
///
/// The key pairs live in the `jwks` table so every replica signs with the same key; their private halves are sealed
/// with AES-GCM under a key derived from the newest secret. `rotate()` adds a new signing key and retires the others:
/// they keep verifying (and stay in the JWKS) until the last token they signed has expired, then they are deleted.
public actor TokenService {
    public static let lifetime: TimeInterval = 15 * 60
    /// How long a replica trusts its copy of the key table; a rotation reaches every replica within this time.
    public static let keyCacheLifetime: TimeInterval = 60

    let store: any SigningKeyStore
    let secrets: Reloadable<[String]>
    let issuer: String
    let external: ExternalKeySet?
    let hs256: HS256Policy
    let now: @Sendable () -> Date
    private var own: JWTKeyCollection?
    private var loadedAt = Date.distantPast
    private var loadedWith: [String] = []
    private var signingKid: String?
    private var publicKeys: [String] = []

    /// - Parameters:
    ///   - issuer: `BETTER_AUTH_URL`; it is both `iss` and `aud` of our tokens.
    ///   - secrets: `BETTER_AUTH_SECRET` values, newest first; a reload may replace them.
    ///   - external: the key set of an external Better Auth whose tokens are accepted too.
    ///   - hs256: whether HS256 tokens signed with the secret are accepted (`ACCEPT_HS256_TOKENS`), and for whom.
    public init(
        store: any SigningKeyStore, secrets: Reloadable<[String]>, issuer: String, external: ExternalKeySet? = nil,
        hs256: HS256Policy = .refused, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.secrets = secrets
        self.issuer = issuer
        self.external = external
        self.hs256 = hs256
        self.now = now
    }

    /// A service whose secrets never change (tests, one-shot commands).
    public init(
        store: any SigningKeyStore, secrets: [String], issuer: String, external: ExternalKeySet? = nil,
        hs256: HS256Policy = .refused, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.init(store: store, secrets: Reloadable(secrets), issuer: issuer, external: external, hs256: hs256, now: now)
    }

    static let invalidToken = TodoError.unauthorized(code: "INVALID_TOKEN", message: "The token is invalid or expired.")

    /// A 15-minute access token for `user`.
    public func issue(for user: User) async throws -> String {
        let keys = try await loadKeys(creatingIfMissing: true)
        let issued = now()
        let claims = AccessClaims(
            sub: .init(value: user.id), iss: .init(value: issuer), aud: .init(value: [issuer]),
            exp: .init(value: issued.addingTimeInterval(Self.lifetime)), iat: .init(value: issued),
            email: user.email, name: user.name
        )
        guard let kid = signingKid else { throw TodoError.unavailable("no JWT signing key is available") }
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    /// `{"keys":[…]}` with every public key, so tokens signed before a rotation still verify elsewhere.
    public func jwksJSON() async throws -> String {
        // Read afresh, so a rotation shows at once on every replica's JWKS.
        own = nil
        _ = try await loadKeys(creatingIfMissing: true)
        return #"{"keys":["# + publicKeys.joined(separator: ",") + "]}"
    }

    /// The user id (`sub`) of a valid token; anything else is `INVALID_TOKEN`.
    public func verify(_ token: String) async throws -> String {
        guard let header = TokenHeader.parse(token), let alg = header.alg else { throw Self.invalidToken }
        do {
            switch alg {
            case "EdDSA" where try await isOwnKey(header.kid):
                let keys = try await loadKeys(creatingIfMissing: false)
                let claims = try await keys.verify(token, as: AccessClaims.self)
                try claims.aud.verifyIntendedAudience(includes: issuer)
                guard claims.iss.value == issuer else { throw Self.invalidToken }
                return claims.sub.value
            case "HS256":
                guard case .accepted(let expectedIssuer) = hs256 else { throw Self.invalidToken }
                for secret in secrets.value where !secret.isEmpty {
                    let keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
                    guard let claims = try? await keys.verify(token, as: SharedSecretClaims.self) else { continue }
                    try claims.check(issuer: expectedIssuer, defaultAudience: issuer)
                    return claims.sub.value
                }
                throw Self.invalidToken
            case "EdDSA", "ES256", "RS256":
                guard let external else { throw Self.invalidToken }
                return try await external.verify(token, kid: header.kid)
            default:
                throw Self.invalidToken
            }
        } catch let error as TodoError {
            throw error
        } catch {
            throw Self.invalidToken
        }
    }

    private var publicKeyIDs: Set<String> = []

    /// True when `kid` names one of our keys, looking at the database once more in case another replica made it.
    private func isOwnKey(_ kid: String?) async throws -> Bool {
        guard let kid else { return false }
        _ = try await loadKeys(creatingIfMissing: false)
        if publicKeyIDs.contains(kid) { return true }
        own = nil
        _ = try await loadKeys(creatingIfMissing: false)
        return publicKeyIDs.contains(kid)
    }

    /// Adds a new signing key and retires every other one: retired keys verify until `lifetime` (plus the time
    /// replicas may still sign with them) has passed, and keys past that are deleted. Returns the new key's id.
    public func rotate() async throws -> String {
        let key = try makeKey()
        try await store.addSigningKey(key)
        let issuedUntil = now().addingTimeInterval(Self.keyCacheLifetime)
        try await store.retireSigningKeys(except: key.id, expiresAt: issuedUntil.addingTimeInterval(Self.lifetime))
        try await store.deleteSigningKeys(expiredBefore: now())
        own = nil
        return key.id
    }

    /// The key table as this service reads it, newest first.
    public func keyStatuses() async throws -> [SigningKeyStatus] {
        let stored = try await store.signingKeys()
        let current = now()
        var signing = false
        return stored.map { key in
            let state: SigningKeyStatus.State
            if let expiresAt = key.expiresAt, expiresAt <= current {
                state = .expired
            } else if key.expiresAt == nil, !signing, unseal(key.privateKey) != nil {
                signing = true
                state = .signing
            } else {
                state = .verifying
            }
            return SigningKeyStatus(id: key.id, createdAt: key.createdAt, expiresAt: key.expiresAt, state: state)
        }
    }

    private func loadKeys(creatingIfMissing: Bool) async throws -> JWTKeyCollection {
        let secretList = secrets.value
        if let own, loadedWith == secretList, now().timeIntervalSince(loadedAt) < Self.keyCacheLifetime,
           signingKid != nil || !creatingIfMissing {
            return own
        }
        let current = now()
        var stored = try await store.signingKeys().filter { ($0.expiresAt ?? .distantFuture) > current }
        if creatingIfMissing, !stored.contains(where: { $0.expiresAt == nil && unseal($0.privateKey) != nil }) {
            try await store.addSigningKey(try makeKey())
            stored = try await store.signingKeys().filter { ($0.expiresAt ?? .distantFuture) > current }
        }
        let keys = JWTKeyCollection()
        var ids: Set<String> = []
        var published: [String] = []
        signingKid = nil
        for key in stored {
            guard let jwk = try? JSONDecoder().decode(PublicJWK.self, from: Data(key.publicKey.utf8)) else { continue }
            if key.expiresAt == nil, signingKid == nil, let privateKey = unseal(key.privateKey),
               let signer = try? EdDSA.PrivateKey(d: Base64URL.encode(privateKey), curve: .ed25519) {
                await keys.add(eddsa: signer, kid: JWKIdentifier(string: key.id))
                signingKid = key.id
            } else if let verifier = try? EdDSA.PublicKey(x: jwk.x, curve: .ed25519) {
                await keys.add(eddsa: verifier, kid: JWKIdentifier(string: key.id))
            }
            ids.insert(key.id)
            published.append(key.publicKey)
        }
        own = keys
        loadedAt = current
        loadedWith = secretList
        publicKeyIDs = ids
        publicKeys = published
        return keys
    }

    private func makeKey() throws -> StoredSigningKey {
        let privateKey = Curve25519.Signing.PrivateKey()
        let kid = SessionToken.generate(length: 16)
        let jwk = PublicJWK(kty: "OKP", crv: "Ed25519", x: Base64URL.encode(privateKey.publicKey.rawRepresentation), kid: kid, alg: "EdDSA", use: "sig")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return StoredSigningKey(
            id: kid, publicKey: String(decoding: try encoder.encode(jwk), as: UTF8.self),
            privateKey: try seal(privateKey.rawRepresentation), createdAt: now()
        )
    }

    private func sealingKey(_ secret: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(secret.utf8)), info: Array("todo-chatbot jwks private key".utf8),
            outputByteCount: 32
        )
    }

    private func seal(_ data: Data) throws -> String {
        guard let secret = secrets.value.first else { throw TodoError.unavailable("no secret to seal the JWT key with") }
        guard let combined = try AES.GCM.seal(data, using: sealingKey(secret)).combined else {
            throw TodoError.unavailable("cannot seal the JWT key")
        }
        return combined.base64EncodedString()
    }

    /// The private key if one of the secrets sealed it; nil after the secrets were replaced entirely.
    private func unseal(_ text: String) -> Data? {
        guard let data = Data(base64Encoded: text), let box = try? AES.GCM.SealedBox(combined: data) else { return nil }
        for secret in secrets.value {
            if let opened = try? AES.GCM.open(box, using: sealingKey(secret)) { return opened }
        }
        return nil
    }
}

/// The public half of an Ed25519 key as a JWK.
struct PublicJWK: Codable {
    let kty: String
    let crv: String
    let x: String
    let kid: String
    let alg: String
    let use: String
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
