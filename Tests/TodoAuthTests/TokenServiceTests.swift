import Crypto
import Foundation
import Testing
import TodoAuth
import TodoCore
import TodoStorage
import TodoTestSupport

@Suite struct TokenServiceTests {
    static let secret = "token-secret-0123456789-abcdefghijkl"
    static let issuer = "https://todo.example.com"

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ part: some StringProtocol) throws -> [String: Any] {
        var base64 = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let data = try #require(Data(base64Encoded: base64))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// An HS256 token made with swift-crypto's HMAC directly, independent of the JWT library under test.
    static func hs256(_ claims: [String: Any], secret: String) throws -> String {
        let header = base64URL(try JSONSerialization.data(withJSONObject: ["alg": "HS256", "typ": "JWT"]))
        let payload = base64URL(try JSONSerialization.data(withJSONObject: claims))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(header).\(payload)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "\(header).\(payload).\(base64URL(Data(mac)))"
    }

    @Test(arguments: StoreKind.available)
    func issuedTokensVerifyAndCarryTheClaims(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let tokens = TokenService(store: store, secrets: [Self.secret], issuer: Self.issuer)
            let token = try await tokens.issue(for: user)
            #expect(try await tokens.verify(token) == user.id)
            let parts = token.split(separator: ".")
            let header = try Self.decode(parts[0])
            let claims = try Self.decode(parts[1])
            #expect(header["alg"] as? String == "EdDSA")
            #expect(claims["sub"] as? String == user.id)
            #expect(claims["iss"] as? String == Self.issuer)
            let lifetime = try #require(claims["exp"] as? Double) - (try #require(claims["iat"] as? Double))
            #expect(lifetime == 900)
            // As Better Auth's JWT plugin: whole seconds, and the user with every field (image null when absent).
            let raw = try #require(Base64URL.decode(parts[1]).map { String(decoding: $0, as: UTF8.self) })
            #expect(raw.range(of: #""(iat|exp)":\d+[,}]"#, options: .regularExpression) != nil, "\(raw)")
            #expect(raw.range(of: #""(iat|exp)":\d+\."#, options: .regularExpression) == nil, "no fraction: \(raw)")
            #expect(claims["id"] as? String == user.id)
            #expect(claims["email"] as? String == user.email)
            #expect(claims["name"] as? String == user.name)
            #expect(claims["emailVerified"] as? Bool == false)
            #expect(claims["image"] is NSNull)
            #expect(claims["createdAt"] as? String == Timestamp.format(user.createdAt))
            #expect(claims["updatedAt"] as? String == Timestamp.format(user.updatedAt))

            // Another replica on the same database signs with the same key and accepts the token.
            let replica = TokenService(store: store, secrets: [Self.secret], issuer: Self.issuer)
            #expect(try await replica.verify(token) == user.id)
            let replicaToken = try await replica.issue(for: user)
            #expect(try Self.decode(replicaToken.split(separator: ".")[0])["kid"] as? String == header["kid"] as? String)
        }
    }

    @Test func theJWKSVerifiesOurTokensWithAnIndependentEd25519() async throws {
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store)
            let tokens = TokenService(store: store, secrets: [Self.secret], issuer: Self.issuer)
            let token = try await tokens.issue(for: user)
            let jwks = try JSONSerialization.jsonObject(with: Data(try await tokens.jwksJSON().utf8)) as? [String: Any]
            let key = try #require((jwks?["keys"] as? [[String: Any]])?.first)
            #expect(key["kty"] as? String == "OKP")
            #expect(key["crv"] as? String == "Ed25519")
            #expect(key["d"] == nil, "no private part is published")
            var x = try #require(key["x"] as? String).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            x += String(repeating: "=", count: (4 - x.count % 4) % 4)
            let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: try #require(Data(base64Encoded: x)))
            let parts = token.split(separator: ".")
            var signature = String(parts[2]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            signature += String(repeating: "=", count: (4 - signature.count % 4) % 4)
            #expect(publicKey.isValidSignature(try #require(Data(base64Encoded: signature)), for: Data("\(parts[0]).\(parts[1])".utf8)))
        }
    }

    @Test func badTokensAreRefused() async throws {
        try await withStore(.sqliteMemory) { migrated in
            let clock = ManualClock(start: Date())
            let store = SQLStore(database: migrated.database, now: clock.now)
            let user = try await makeUser(store)
            let tokens = TokenService(store: store, secrets: [Self.secret], issuer: Self.issuer, now: clock.now)
            let token = try await tokens.issue(for: user)
            let invalid = TodoError.unauthorized(code: "INVALID_TOKEN", message: "The token is invalid or expired.")
            let parts = token.split(separator: ".").map(String.init)

            var claims = try Self.decode(parts[1])
            claims["sub"] = "someone-else"
            let tampered = "\(parts[0]).\(Self.base64URL(try JSONSerialization.data(withJSONObject: claims))).\(parts[2])"
            await #expect(throws: invalid) { try await tokens.verify(tampered) }

            let none = "\(Self.base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))).\(parts[1])."
            await #expect(throws: invalid) { try await tokens.verify(none) }
            await #expect(throws: invalid) { try await tokens.verify("not.a.jwt") }

            let otherAudience = TokenService(store: store, secrets: [Self.secret], issuer: "https://elsewhere.example")
            await #expect(throws: invalid) { try await otherAudience.verify(token) }

            try await withStore(.sqliteMemory) { otherStore in
                let stranger = try await makeUser(otherStore)
                let foreign = try await TokenService(store: otherStore, secrets: [Self.secret], issuer: Self.issuer).issue(for: stranger)
                await #expect(throws: invalid) { try await tokens.verify(foreign) }
            }

            let expired = try Self.hs256(["sub": user.id, "exp": Date().timeIntervalSince1970 - 10], secret: Self.secret)
            await #expect(throws: invalid) { try await tokens.verify(expired) }
            clock.advance(by: -2 * TokenService.lifetime)
            let alreadyExpired = try await tokens.issue(for: user)
            await #expect(throws: invalid) { try await tokens.verify(alreadyExpired) }
        }
    }

    @Test func aRotatedSecretKeepsOldTokensAndKeysUntilItIsRemoved() async throws {
        let newer = "rotated-secret-0123456789-abcdefghijkl"
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store)
            let before = TokenService(store: store, secrets: [Self.secret], issuer: Self.issuer)
            let oldJWT = try await before.issue(for: user)
            let oldHS256 = try Self.hs256(["sub": user.id, "exp": Date().timeIntervalSince1970 + 600], secret: Self.secret)

            let rotating = TokenService(store: store, secrets: [newer, Self.secret], issuer: Self.issuer, hs256: .accepted(issuer: nil))
            #expect(try await rotating.verify(oldJWT) == user.id, "the signing key sealed with the old secret still opens")
            #expect(try await rotating.verify(oldHS256) == user.id, "tokens signed with the old secret stay valid")
            let newHS256 = try Self.hs256(["sub": user.id, "exp": Date().timeIntervalSince1970 + 600], secret: newer)
            #expect(try await rotating.verify(newHS256) == user.id)

            let after = TokenService(store: store, secrets: [newer], issuer: Self.issuer, hs256: .accepted(issuer: nil))
            await #expect(throws: TodoError.unauthorized(code: "INVALID_TOKEN", message: "The token is invalid or expired.")) {
                try await after.verify(oldHS256)
            }
            #expect(try await after.verify(newHS256) == user.id)
        }
    }

    /// Replicas starting together on an empty key table make one signing key between them, not one each.
    @Test(arguments: StoreKind.available)
    func replicasStartingTogetherMakeOneSigningKey(kind: StoreKind) async throws {
        try await withIsolatedStore(kind) { store in
            let user = try await makeUser(store)
            let replicas = (0..<8).map { _ in TokenService(store: store, secrets: [Self.secret], issuer: Self.issuer) }
            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for replica in replicas { group.addTask { try await replica.issue(for: user) } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            let keys = try await store.signingKeys()
            #expect(keys.count == 1)
            let kids = try Set(tokens.map { try Self.decode($0.split(separator: ".")[0])["kid"] as? String })
            #expect(kids == [keys[0].id])
            for token in tokens { #expect(try await replicas[0].verify(token) == user.id) }
        }
    }

    @Test(arguments: StoreKind.available)
    func rotatingTheSigningKeyKeepsOldTokensValidUntilTheyExpire(kind: StoreKind) async throws {
        try await withIsolatedStore(kind) { store in
            let user = try await makeUser(store)
            let clock = ManualClock(start: Date())
            let tokens = TokenService(store: store, secrets: [Self.secret], issuer: Self.issuer, now: clock.now)
            let replica = TokenService(store: store, secrets: [Self.secret], issuer: Self.issuer, now: clock.now)
            let oldToken = try await tokens.issue(for: user)
            let oldKid = try #require(try Self.decode(oldToken.split(separator: ".")[0])["kid"] as? String)

            clock.advance(by: 1)
            let newKid = try await tokens.rotate()
            #expect(newKid != oldKid)
            let newToken = try await tokens.issue(for: user)
            #expect(try Self.decode(newToken.split(separator: ".")[0])["kid"] as? String == newKid, "the new key signs at once here")
            #expect(try await tokens.verify(oldToken) == user.id, "tokens of the retired key stay valid")
            #expect(try await replica.verify(newToken) == user.id, "another replica learns the new key from its kid")
            let jwks = try await tokens.jwksJSON()
            #expect(jwks.contains(newKid) && jwks.contains(oldKid), "both keys are published")
            let statuses = try await tokens.keyStatuses()
            #expect(statuses.map(\.state) == [.signing, .verifying])

            // Once every token of the old key has expired, it is gone from the JWKS and refused.
            clock.advance(by: TokenService.lifetime + TokenService.keyCacheLifetime + 1)
            #expect(try await tokens.keyStatuses().map(\.state) == [.signing, .expired])
            let later = try await tokens.jwksJSON()
            #expect(!later.contains(oldKid) && later.contains(newKid))
            await #expect(throws: Self.invalidToken) { try await tokens.verify(oldToken) }
            _ = try await tokens.rotate()
            #expect(try await store.signingKeys().count == 2, "the next rotation deletes expired keys")
        }
    }

    @Test func reloadedSecretsTakeEffectWithoutARestart() async throws {
        let newer = "reloaded-secret-0123456789-abcdefghijkl"
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store)
            let secrets = Reloadable([Self.secret])
            let tokens = TokenService(store: store, secrets: secrets, issuer: Self.issuer, hs256: .accepted(issuer: nil))
            let jwt = try await tokens.issue(for: user)
            let oldHS256 = try Self.hs256(["sub": user.id, "exp": Date().timeIntervalSince1970 + 600], secret: Self.secret)
            let newHS256 = try Self.hs256(["sub": user.id, "exp": Date().timeIntervalSince1970 + 600], secret: newer)
            await #expect(throws: Self.invalidToken) { try await tokens.verify(newHS256) }

            #expect(secrets.replace(with: [newer, Self.secret]))
            #expect(try await tokens.verify(newHS256) == user.id)
            #expect(try await tokens.verify(oldHS256) == user.id)
            #expect(try await tokens.verify(jwt) == user.id)

            #expect(secrets.replace(with: [newer]))
            await #expect(throws: Self.invalidToken) { try await tokens.verify(oldHS256) }
            #expect(try await tokens.verify(jwt) == user.id, "the public key still verifies; a new key signs from now on")
            let fresh = try await tokens.issue(for: user)
            #expect(try await tokens.verify(fresh) == user.id)
        }
    }

    static let invalidToken = TodoError.unauthorized(code: "INVALID_TOKEN", message: "The token is invalid or expired.")

    @Test func sharedSecretTokensAreRefusedUnlessTurnedOn() async throws {
        try await withStore(.sqliteMemory) { store in
            let exp = Date().timeIntervalSince1970 + 600
            let forged = try Self.hs256(["sub": "user-1", "exp": exp, "iss": Self.issuer, "aud": Self.issuer], secret: Self.secret)
            let byDefault = TokenService(store: store, secrets: [Self.secret], issuer: Self.issuer)
            await #expect(throws: Self.invalidToken) { try await byDefault.verify(forged) }

            // Turned on with a public URL: iss and aud must both name it.
            let checked = TokenService(store: store, secrets: [Self.secret], issuer: Self.issuer, hs256: .accepted(issuer: Self.issuer))
            #expect(try await checked.verify(forged) == "user-1")
            for claims: [String: Any] in [
                ["sub": "user-1", "exp": exp],
                ["sub": "user-1", "exp": exp, "aud": Self.issuer],
                ["sub": "user-1", "exp": exp, "iss": Self.issuer],
                ["sub": "user-1", "exp": exp, "iss": "https://other.example", "aud": Self.issuer],
                ["sub": "user-1", "exp": exp, "iss": Self.issuer, "aud": "https://other.example"],
            ] {
                await #expect(throws: Self.invalidToken) { try await checked.verify(try Self.hs256(claims, secret: Self.secret)) }
            }
        }
    }

    @Test func sharedSecretTokensAreAcceptedOnlyWithTheSecret() async throws {
        try await withStore(.sqliteMemory) { store in
            let tokens = TokenService(store: store, secrets: [Self.secret], issuer: Self.issuer, hs256: .accepted(issuer: nil))
            let exp = Date().timeIntervalSince1970 + 600
            let plain = try Self.hs256(["sub": "user-1", "exp": exp], secret: Self.secret)
            #expect(try await tokens.verify(plain) == "user-1")
            let withAudience = try Self.hs256(["sub": "user-1", "exp": exp, "aud": Self.issuer], secret: Self.secret)
            #expect(try await tokens.verify(withAudience) == "user-1")
            await #expect(throws: Self.invalidToken) {
                try await tokens.verify(try Self.hs256(["sub": "user-1", "exp": exp], secret: "another-secret-entirely-0123456789"))
            }
            await #expect(throws: Self.invalidToken) {
                try await tokens.verify(try Self.hs256(["sub": "user-1", "exp": exp, "aud": "https://other.example"], secret: Self.secret))
            }
            await #expect(throws: Self.invalidToken) { try await tokens.verify(try Self.hs256(["sub": "user-1"], secret: Self.secret)) }
        }
    }

    /// Forged `kid`s must not become one database read each; a key another replica has just made still verifies.
    @Test func unknownKeyIDsRereadTheKeyTableAtMostOncePerInterval() async throws {
        try await withStore(.sqliteMemory) { migrated in
            let clock = ManualClock(start: Date())
            let store = CountingKeyStore(SQLStore(database: migrated.database, now: clock.now))
            let tokens = TokenService(store: store, secrets: [Self.secret], issuer: Self.issuer, now: clock.now)
            let user = try await makeUser(migrated)
            let own = try await tokens.issue(for: user)
            let parts = own.split(separator: ".")
            var header = try Self.decode(parts[0])
            let reads = store.reads
            for attempt in 0..<20 {
                header["kid"] = "forged-\(attempt)"
                let forgedHeader = Self.base64URL(try JSONSerialization.data(withJSONObject: header))
                await #expect(throws: Self.invalidToken) { try await tokens.verify("\(forgedHeader).\(parts[1]).\(parts[2])") }
            }
            #expect(store.reads - reads <= 1, "20 forged key ids read the key table \(store.reads - reads) times")

            // Another replica rotates; once the interval has passed, the first token with the new key rereads.
            let otherReplica = TokenService(store: store, secrets: [Self.secret], issuer: Self.issuer, now: clock.now)
            _ = try await otherReplica.rotate()
            let fresh = try await otherReplica.issue(for: user)
            clock.advance(by: TokenService.unknownKeyRereadInterval)
            #expect(try await tokens.verify(fresh) == user.id)
        }
    }
}

/// Counts reads of the key table.
final class CountingKeyStore: SigningKeyStore, @unchecked Sendable {
    let base: any SigningKeyStore
    private let lock = NSLock()
    private var count = 0

    init(_ base: any SigningKeyStore) { self.base = base }

    var reads: Int { lock.withLock { count } }

    func signingKeys() async throws -> [StoredSigningKey] {
        lock.withLock { count += 1 }
        return try await base.signingKeys()
    }

    func addSigningKey(_ key: StoredSigningKey) async throws { try await base.addSigningKey(key) }
    func addSigningKey(_ key: StoredSigningKey, unless present: @escaping @Sendable ([StoredSigningKey]) -> Bool) async throws -> Bool {
        try await base.addSigningKey(key, unless: present)
    }
    func retireSigningKeys(except id: String, expiresAt: Date) async throws { try await base.retireSigningKeys(except: id, expiresAt: expiresAt) }
    func deleteSigningKeys(expiredBefore date: Date) async throws { try await base.deleteSigningKeys(expiredBefore: date) }
}

extension TokenServiceTests {
    /// `iss` and `aud` are the origin of `BETTER_AUTH_URL`, as Better Auth sets them.
    @Test func theIssuerIsThePublicURLsOrigin() {
        var configuration = AuthConfiguration()
        for (url, origin) in [
            ("https://Todo.Example.com/api/auth", "https://todo.example.com"), ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
            ("https://todo.example.com:443/x", "https://todo.example.com"), ("http://[::1]:3000/a?b=c", "http://[::1]:3000"),
        ] {
            configuration.publicURL = url
            #expect(configuration.issuer == origin, "\(url)")
        }
        configuration.publicURL = nil
        #expect(configuration.issuer == "todo-chatbot")
    }
}
