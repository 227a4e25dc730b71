import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import NIOCore
import Synchronization
import Testing
import TodoAPI
import TodoAuth
import TodoCore
import TodoTestSupport

/// An external Better Auth as far as we can see it: a JWKS endpoint whose keys can rotate.
final class ExternalIssuer: Sendable {
    let edKey = try! EdDSA.PrivateKey()
    let ecKey = ES256PrivateKey()
    let rotated = try! EdDSA.PrivateKey()
    private let published = Mutex(["ext-ed", "ext-ec"])
    private let fetchCount = Mutex(0)

    /// How often the JWKS was fetched.
    var fetches: Int { fetchCount.withLock { $0 } }

    func rotate() { published.withLock { $0.append("ext-rotated") } }

    var jwks: String {
        var keys: [String] = []
        let kids = published.withLock { $0 }
        if kids.contains("ext-ed") { keys.append(Self.okp("ext-ed", edKey.publicKey)) }
        if kids.contains("ext-ec"), let parameters = ecKey.publicKey.parameters {
            keys.append(#"{"kty":"EC","crv":"P-256","alg":"ES256","kid":"ext-ec","x":"\#(parameters.x)","y":"\#(parameters.y)"}"#)
        }
        if kids.contains("ext-rotated") { keys.append(Self.okp("ext-rotated", rotated.publicKey)) }
        return #"{"keys":[\#(keys.joined(separator: ","))]}"#
    }

    static func okp(_ kid: String, _ key: EdDSA.PublicKey) -> String {
        let x = key.rawRepresentation.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return #"{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","kid":"\#(kid)","x":"\#(x)"}"#
    }

    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var iss: IssuerClaim?
        var aud: AudienceClaim?
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    func token(
        sub: String, kid: String, expiresIn: TimeInterval = 600, iss: String? = nil, aud: String? = nil
    ) async throws -> String {
        let keys = JWTKeyCollection()
        switch kid {
        case "ext-ec": await keys.add(ecdsa: ecKey, kid: JWKIdentifier(string: kid))
        case "ext-rotated": await keys.add(eddsa: rotated, kid: JWKIdentifier(string: kid))
        default: await keys.add(eddsa: edKey, kid: JWKIdentifier(string: kid))
        }
        let claims = Claims(
            sub: .init(value: sub), exp: .init(value: Date().addingTimeInterval(expiresIn)), iss: iss.map { .init(value: $0) },
            aud: aud.map { .init(value: [$0]) }
        )
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    /// Serves the JWKS on a live loopback port while `body` runs.
    func serve(_ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.get("/api/auth/jwks") { _, _ in
            self.fetchCount.withLock { $0 += 1 }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: self.jwks)))
        }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/api/auth/jwks")
        }
    }
}

@Suite(.heavy) struct ExternalJWKSTests {
    @Test func tokensOfAnExternalBetterAuthOpenTheAPI() async throws {
        let issuer = ExternalIssuer()
        try await issuer.serve { jwksURL in
            try await withAPI(configure: { $0.auth.jwksURL = jwksURL }) { client in
                let ada = try await TestAccount.create(client)
                for kid in ["ext-ed", "ext-ec"] {
                    let token = try await issuer.token(sub: ada.id, kid: kid)
                    let response = try await client.execute(uri: "/api/tasks", method: .get, headers: [.authorization: "Bearer \(token)"])
                    #expect(response.status == .ok, "\(kid)")
                }
                let expired = try await issuer.token(sub: ada.id, kid: "ext-ed", expiresIn: -60)
                #expect(try await client.execute(uri: "/api/tasks", method: .get, headers: [.authorization: "Bearer \(expired)"]).status == .unauthorized)
                let stranger = try await issuer.token(sub: "no-such-user", kid: "ext-ed")
                #expect(try await client.execute(uri: "/api/tasks", method: .get, headers: [.authorization: "Bearer \(stranger)"]).status == .unauthorized)
            }
        }
    }

    static let invalidToken = TodoError.unauthorized(code: "INVALID_TOKEN", message: "The token is invalid or expired.")

    /// Tokens the external Better Auth issued for another service are not for us, when the operator says who we are.
    @Test func issuerAndAudienceAreCheckedWhenSet() async throws {
        let issuer = ExternalIssuer()
        try await issuer.serve { jwksURL in
            try await withStore(.sqliteMemory) { store in
                let tokens = TokenService(
                    store: store, secrets: ["s-0123456789-abcdefghijklmnopqrstuv"], issuer: "todo",
                    external: ExternalKeySet(url: jwksURL, issuer: "https://auth.example", audience: "todo-api")
                )
                let ours = try await issuer.token(sub: "u1", kid: "ext-ed", iss: "https://auth.example", aud: "todo-api")
                #expect(try await tokens.verify(ours) == "u1")
                for (iss, aud) in [("https://auth.example", "billing"), ("https://evil.example", "todo-api"), (nil, "todo-api"), ("https://auth.example", nil)] {
                    let theirs = try await issuer.token(sub: "u1", kid: "ext-ed", iss: iss, aud: aud)
                    await #expect(throws: Self.invalidToken, "iss \(iss ?? "none"), aud \(aud ?? "none")") { try await tokens.verify(theirs) }
                }
            }
        }
    }

    /// Made-up key ids cannot turn into a stream of JWKS requests: one fetch per interval, however many tokens.
    @Test func unknownKeyIDsRefetchAtMostOncePerInterval() async throws {
        let issuer = ExternalIssuer()
        try await issuer.serve { jwksURL in
            try await withStore(.sqliteMemory) { store in
                let tokens = TokenService(
                    store: store, secrets: ["s-0123456789-abcdefghijklmnopqrstuv"], issuer: "todo",
                    external: ExternalKeySet(url: jwksURL, refreshInterval: .seconds(600))
                )
                #expect(try await tokens.verify(try await issuer.token(sub: "u1", kid: "ext-ed")) == "u1")
                let forged = try await issuer.token(sub: "u1", kid: "ext-rotated")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<50 {
                        group.addTask { await #expect(throws: Self.invalidToken) { try await tokens.verify(forged) } }
                    }
                    try await group.waitForAll()
                }
                #expect(issuer.fetches == 1, "the first fetch only; the interval has not passed")
            }
        }
    }

    @Test func aRotatedKeyIsFetchedAndAnUnreachableJWKSIsA503NotACrash() async throws {
        let issuer = ExternalIssuer()
        try await issuer.serve { jwksURL in
            try await withStore(.sqliteMemory) { store in
                let tokens = TokenService(
                    store: store, secrets: ["s-0123456789-0123456789-0123456789"], issuer: "todo",
                    external: ExternalKeySet(url: jwksURL, refreshInterval: .zero)
                )
                #expect(try await tokens.verify(try await issuer.token(sub: "u1", kid: "ext-ed")) == "u1")
                let rotatedToken = try await issuer.token(sub: "u2", kid: "ext-rotated")
                await #expect(throws: Self.invalidToken) { try await tokens.verify(rotatedToken) }
                issuer.rotate()
                #expect(try await tokens.verify(rotatedToken) == "u2", "refetched on an unknown kid")
            }
        }
        try await withStore(.sqliteMemory) { store in
            let tokens = TokenService(
                store: store, secrets: ["s-0123456789-0123456789-0123456789"], issuer: "todo",
                external: ExternalKeySet(url: "http://127.0.0.1:9/jwks")
            )
            // The JWKS server is down: an outage, not a bad token, so clients keep their tokens and retry.
            let token = try await issuer.token(sub: "u1", kid: "ext-ed")
            let error = await #expect(throws: TodoError.self) { try await tokens.verify(token) }
            #expect(error?.code == "SERVICE_UNAVAILABLE")
            let again = await #expect(throws: TodoError.self) { try await tokens.verify(token) }
            #expect(again?.code == "SERVICE_UNAVAILABLE", "asked again at most once per interval, still an outage")
        }
    }
}
