import Foundation
import JWTKit
import TodoCore

/// Issues EdDSA (Ed25519) access tokens and publishes their JWKS; verifying tokens, rotating keys and reporting key
/// states live in the extensions beside this file.
///
/// The key pairs live in the `jwks` table so every replica signs with the same key; their private halves are sealed
/// with a key derived from the newest secret (`KeySealer`). Each replica keeps an `OwnKeyRing` read from the table,
/// for at most `keyCacheLifetime`.
public actor TokenService {
    public static let lifetime: TimeInterval = 15 * 60
    /// How long a replica trusts its copy of the key table; a rotation reaches every replica within this time.
    public static let keyCacheLifetime: TimeInterval = 60
    /// How often a token naming a key this replica does not know may make it read the key table again: another
    /// replica may have just made that key, but forged `kid`s must not turn into one database read each.
    public static let unknownKeyRereadInterval: TimeInterval = 5

    let store: any SigningKeyStore
    let secrets: Reloadable<[String]>
    let issuer: String
    let external: ExternalKeySet?
    let hs256: HS256Policy
    let now: @Sendable () -> Date
    var ring: OwnKeyRing?
    var lastUnknownKeyReread = Date.distantPast

    /// - Parameters:
    ///   - issuer: the origin of `BETTER_AUTH_URL` (`AuthConfiguration.issuer`); both `iss` and `aud` of our tokens.
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

    /// A 15-minute access token for `user`.
    public func issue(for user: User) async throws -> String {
        let ring = try await currentRing(creatingIfMissing: true)
        let issued = now()
        let claims = AccessClaims(user: user, issuer: issuer, issuedAt: issued, lifetime: Self.lifetime)
        guard let kid = ring.signingKid else { throw TodoError.unavailable("no JWT signing key is available") }
        return try await ring.keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    /// `{"keys":[…]}` with every public key, so tokens signed before a rotation still verify elsewhere.
    public func jwksJSON() async throws -> String {
        // Read afresh, so a rotation shows at once on every replica's JWKS.
        let ring = try await currentRing(creatingIfMissing: true, reread: true)
        return #"{"keys":["# + ring.publishedJWKs.joined(separator: ",") + "]}"
    }

    var sealer: KeySealer { KeySealer(secrets: secrets.value) }

    /// The key ring, read again when it is older than `keyCacheLifetime`, the secrets changed, `reread` asks for
    /// it, or a signing key is needed and there is none (then one is made).
    func currentRing(creatingIfMissing: Bool, reread: Bool = false) async throws -> OwnKeyRing {
        let sealer = sealer
        let current = now()
        if !reread, let ring, ring.secrets == sealer.secrets, current.timeIntervalSince(ring.loadedAt) < Self.keyCacheLifetime,
           ring.signingKid != nil || !creatingIfMissing {
            return ring
        }
        let usable: @Sendable ([StoredSigningKey]) -> Bool = { keys in
            keys.contains { $0.expiresAt == nil && sealer.unseal($0.privateKey) != nil }
        }
        var stored = try await store.signingKeys().filter { ($0.expiresAt ?? .distantFuture) > current }
        if creatingIfMissing, !usable(stored) {
            // Checked again under the store's lock: of replicas starting together, only the first makes the key.
            _ = try await store.addSigningKey(try OwnKeyRing.makeKey(sealer: sealer, at: current), unless: usable)
            stored = try await store.signingKeys().filter { ($0.expiresAt ?? .distantFuture) > current }
        }
        let fresh = await OwnKeyRing.build(stored, sealer: sealer, at: current)
        ring = fresh
        return fresh
    }
}
