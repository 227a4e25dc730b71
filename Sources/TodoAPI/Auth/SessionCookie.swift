import Foundation
import HTTPTypes
import TodoAuth
import TodoCore

/// The session cookie as Better Auth names and sets it, so a browser signed in by either one stays signed in.
struct SessionCookie: Sendable {
    /// `__Secure-` is added when the public URL is https, and then the cookie is `Secure` too.
    let secure: Bool
    /// Newest first; SIGHUP may replace the list, so it is read on every use.
    let secrets: Reloadable<[String]>
    /// `Lax` unless a frontend on another site needs the cookie (`None`, with `Secure`).
    var sameSite = CookieSameSite.lax

    static let baseName = "better-auth.session_token"
    var name: String { prefixed(Self.baseName) }

    /// The headers that hand a session to the client, as Better Auth with its bearer plugin does: the signed cookie
    /// (for the session's 7 days, or, with `remember` false, until the browser closes plus a `dont_remember` cookie),
    /// and the same signed value in `set-auth-token` for bearer clients (CORS exposes it to trusted origins' scripts).
    func granting(_ token: String, remember: Bool = true) -> [HTTPField] {
        let signed = SignedCookie.sign(token, secret: secrets.value[0])
        var fields = [HTTPField(name: .setCookie, value: attributes(signed, maxAge: remember ? Int(AuthService.sessionLifetime) : nil))]
        if !remember {
            let flag = SignedCookie.sign("true", secret: secrets.value[0])
            fields.append(HTTPField(name: .setCookie, value: attributes(flag, maxAge: nil, name: prefixed("better-auth.dont_remember"))))
        }
        fields.append(HTTPField(name: Self.authTokenHeader, value: signed))
        return fields
    }

    static let authTokenHeader = HTTPField.Name("set-auth-token")!

    /// The `Set-Cookie` value that removes the cookie.
    func clearing() -> String { attributes("", maxAge: 0) }

    /// What sign-out sends: the session cookie removed, and the two others Better Auth may have set in the browser
    /// (`session_data`, its cookie cache, and `dont_remember`), so none outlives the session.
    func clearingAll() -> [String] {
        [clearing()] + ["better-auth.session_data", "better-auth.dont_remember"].map { attributes("", maxAge: 0, name: prefixed($0)) }
    }

    /// Adds `clearingAll()` to a response's headers.
    func clearAll(in headers: inout HTTPFields) {
        for clearing in clearingAll() { headers.append(HTTPField(name: .setCookie, value: clearing)) }
    }

    private func prefixed(_ name: String) -> String { secure ? "__Secure-" + name : name }

    /// Without `maxAge` the cookie lasts until the browser closes.
    private func attributes(_ value: String, maxAge: Int?, name: String? = nil) -> String {
        "\(name ?? self.name)=\(value);" + (maxAge.map { " Max-Age=\($0);" } ?? "") + " Path=/; HttpOnly; SameSite=\(sameSite.attribute)"
            + (secure ? "; Secure" : "")
    }

    /// The session token in a `Cookie` header, if the cookie is present and its signature holds. Only the expected
    /// name counts: when `__Secure-` is expected, a cookie without the prefix may have been planted over plain HTTP
    /// or by a sibling domain, so it is ignored.
    func token(fromCookieHeader header: String) -> String? {
        for pair in header.split(separator: ";") {
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
            return SignedCookie.verify(String(trimmed[trimmed.index(after: equals)...]), secrets: secrets.value)
        }
        return nil
    }
}
