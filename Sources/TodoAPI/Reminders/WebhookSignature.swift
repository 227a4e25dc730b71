import Crypto
import Foundation
import TodoCore

/// The `X-Todo-Signature` header of a webhook call: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
/// Signing the time with the body lets a receiver refuse a replayed old call.
public enum WebhookSignature {
    public static let header = "X-Todo-Signature"

    public static func sign(body: String, secret: String, at time: Date) -> String {
        let stamp = Int64(time.timeIntervalSince1970)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(stamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(stamp),v1=\(Hex.encode(mac))"
    }
}
