import Crypto
import Foundation

/// Better Auth's signed session cookie value: `token.` + base64(HMAC-SHA256(secret, token)), percent-encoded.
public enum SignedCookie {
    /// The percent-encoded cookie value for `token`.
    public static func sign(_ token: String, secret: String) -> String {
        let value = token + "." + signature(token, secret: secret)
        return value.addingPercentEncoding(withAllowedCharacters: cookieSafe) ?? value
    }

    /// The token inside a cookie value when one of `secrets` (newest first) signed it; nil when tampered.
    public static func verify(_ cookieValue: String, secrets: [String]) -> String? {
        let value = cookieValue.removingPercentEncoding ?? cookieValue
        guard let dot = value.lastIndex(of: ".") else { return nil }
        let token = String(value[..<dot])
        let given = Array(value[value.index(after: dot)...].utf8)
        guard !token.isEmpty, given.count == 44 else { return nil }
        for secret in secrets where ConstantTime.equal(Array(signature(token, secret: secret).utf8), given) {
            return token
        }
        return nil
    }

    static func signature(_ token: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(token.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// encodeURIComponent's unreserved set, which is what Better Auth's cookie serialiser applies.
    static let cookieSafe = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()")
}
