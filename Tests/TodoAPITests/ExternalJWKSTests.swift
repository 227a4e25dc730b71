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
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    func token(sub: String, kid: String, expiresIn: TimeInterval = 600) async throws -> String {
        let keys = JWTKeyCollection()
        switch kid {
        case "ext-ec": await keys.add(ecdsa: ecKey, kid: JWKIdentifier(string: kid))
        case "ext-rotated": await keys.add(eddsa: rotated, kid: JWKIdentifier(string: kid))
        default: await keys.add(eddsa: edKey, kid: JWKIdentifier(string: kid))
        }
        return try await keys.sign(Claims(sub: .init(value: sub), exp: .init(value: Date().addingTimeInterval(expiresIn))), kid: JWKIdentifier(string: kid))
    }

    /// Serves the JWKS on a live loopback port while `body` runs.
    func serve(_ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.get("/api/auth/jwks") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: self.jwks)))
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
            try await withAPI(configure: { $0.authJWKSURL = jwksURL }) { client in
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

    @Test func aRotatedKeyIsFetchedAndAnUnreachableJWKSIsA401NotACrash() async throws {
        let issuer = ExternalIssuer()
        try await issuer.serve { jwksURL in
            try await withStore(.sqliteMemory) { store in
                let tokens = TokenService(
                    store: store, secrets: ["s-0123456789-0123456789-0123456789"], issuer: "todo",
                    external: ExternalKeySet(url: jwksURL, refreshInterval: .zero)
                )
                #expect(try await tokens.verify(try await issuer.token(sub: "u1", kid: "ext-ed")) == "u1")
                let rotatedToken = try await issuer.token(sub: "u2", kid: "ext-rotated")
                await #expect(throws: TodoError.self) { try await tokens.verify(rotatedToken) }
                issuer.rotate()
                #expect(try await tokens.verify(rotatedToken) == "u2", "refetched on an unknown kid")
            }
        }
        try await withStore(.sqliteMemory) { store in
            let tokens = TokenService(
                store: store, secrets: ["s-0123456789-0123456789-0123456789"], issuer: "todo",
                external: ExternalKeySet(url: "http://127.0.0.1:9/jwks")
            )
            await #expect(throws: TodoError.self) { try await tokens.verify(try await issuer.token(sub: "u1", kid: "ext-ed")) }
        }
    }
}
