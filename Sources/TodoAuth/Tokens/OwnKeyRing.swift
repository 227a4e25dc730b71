import Crypto
import Foundation
import JWTKit
import TodoCore

/// This server's keys as read from the key table at one moment: the one that signs, every one that verifies, and
/// the public JWKs to publish. Built whole from the rows, then swapped in at once.
struct OwnKeyRing: Sendable {
    let keys: JWTKeyCollection
    let signingKid: String?
    let ids: Set<String>
    let publishedJWKs: [String]
    let loadedAt: Date
    let secrets: [String]

    /// The ring of `stored` (unexpired rows, newest first): the newest unexpired key whose private half opens signs.
    static func build(_ stored: [StoredSigningKey], sealer: KeySealer, at loadedAt: Date) async -> OwnKeyRing {
        let keys = JWTKeyCollection()
        var signingKid: String?
        var ids: Set<String> = []
        var published: [String] = []
        for key in stored {
            guard let jwk = try? JSONDecoder().decode(PublicJWK.self, from: Data(key.publicKey.utf8)) else { continue }
            if key.expiresAt == nil, signingKid == nil, let privateKey = sealer.unseal(key.privateKey),
               let signer = try? EdDSA.PrivateKey(d: Base64URL.encode(privateKey), curve: .ed25519) {
                await keys.add(eddsa: signer, kid: JWKIdentifier(string: key.id))
                signingKid = key.id
            } else if let verifier = try? EdDSA.PublicKey(x: jwk.x, curve: .ed25519) {
                await keys.add(eddsa: verifier, kid: JWKIdentifier(string: key.id))
            }
            ids.insert(key.id)
            published.append(key.publicKey)
        }
        return OwnKeyRing(keys: keys, signingKid: signingKid, ids: ids, publishedJWKs: published, loadedAt: loadedAt, secrets: sealer.secrets)
    }

    /// A new Ed25519 key row, its private half sealed.
    static func makeKey(sealer: KeySealer, at now: Date) throws -> StoredSigningKey {
        let privateKey = Curve25519.Signing.PrivateKey()
        let kid = RandomID.make(length: 16)
        let jwk = PublicJWK(
            kty: "OKP", crv: "Ed25519", x: Base64URL.encode(privateKey.publicKey.rawRepresentation), kid: kid, alg: "EdDSA", use: "sig"
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return StoredSigningKey(
            id: kid, publicKey: String(decoding: try encoder.encode(jwk), as: UTF8.self),
            privateKey: try sealer.seal(privateKey.rawRepresentation), createdAt: now
        )
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
