import Crypto
import Foundation
import TodoCore

/// Seals the private halves of the signing keys with AES-GCM under a key derived from the newest secret, and opens
/// them with any of the secrets, so a secret rotation keeps the key table usable.
struct KeySealer {
    let secrets: [String]

    func seal(_ data: Data) throws -> String {
        guard let secret = secrets.first else { throw TodoError.unavailable("no secret to seal the JWT key with") }
        guard let combined = try AES.GCM.seal(data, using: Self.sealingKey(secret)).combined else {
            throw TodoError.unavailable("cannot seal the JWT key")
        }
        return combined.base64EncodedString()
    }

    /// The private key if one of the secrets sealed it; nil after the secrets were replaced entirely.
    func unseal(_ text: String) -> Data? {
        guard let data = Data(base64Encoded: text), let box = try? AES.GCM.SealedBox(combined: data) else { return nil }
        for secret in secrets {
            if let opened = try? AES.GCM.open(box, using: Self.sealingKey(secret)) { return opened }
        }
        return nil
    }

    private static func sealingKey(_ secret: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(secret.utf8)), info: Array("todo-chatbot jwks private key".utf8),
            outputByteCount: 32
        )
    }
}
