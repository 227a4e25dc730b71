import Foundation
import HTTPTypes
import Hummingbird
import TodoAuth
import TodoCore

/// How a request proved who it is.
enum Credential: Equatable {
    /// A `Cookie` header: state-changing requests must also pass the Origin check.
    case cookie(token: String)
    /// A session token in `Authorization: Bearer`: not sent by browsers on their own, so no CSRF risk.
    case bearer(token: String)
    /// A JWT in `Authorization: Bearer`.
    case jwt

    /// The session token, for credentials that are one.
    var sessionToken: String? {
        switch self {
        case .cookie(let token), .bearer(let token): token
        case .jwt: nil
        }
    }
}

/// The user behind a request, with the session when the credential was one.
struct Caller {
    let user: User
    let session: Session?
    let credential: Credential
    /// The session was extended by this request: a cookie caller gets the cookie again with the new lifetime.
    var refreshed = false

    /// The headers that renew a cookie caller's cookie when its session was extended, else none.
    func renewal(_ cookie: SessionCookie) -> [HTTPField] {
        guard refreshed, case .cookie(let token) = credential else { return [] }
        return cookie.granting(token)
    }
}

/// Finds who a request is: a bearer JWT or session token (plain or signed) first, then the session cookie.
struct SessionResolver: Sendable {
    let auth: AuthService
    let tokens: TokenService
    let users: any UserStore
    let cookie: SessionCookie

    func credential(_ request: Request, cookies: Bool = true) -> (Credential, String)? {
        if let authorization = request.headers[.authorization], let value = Self.bearerValue(authorization) {
            guard !value.isEmpty else { return nil }
            // One pass over the value (this runs for every request): a JWT has exactly two dots; a plain token is
            // letters and digits; a value with a dot or a percent sign is the signed cookie form.
            var dots = 0
            var percent = false
            for byte in value.utf8 {
                if byte == UInt8(ascii: ".") { dots += 1 } else if byte == UInt8(ascii: "%") { percent = true }
            }
            if dots == 2, !percent { return (.jwt, String(value)) }
            if dots > 0 || percent {
                return SignedCookie.verify(String(value), secrets: cookie.secrets.value).map { (.bearer(token: $0), $0) }
            }
            return (.bearer(token: String(value)), String(value))
        }
        if cookies, let header = request.headers[.cookie], let token = cookie.token(fromCookieHeader: header) {
            return (.cookie(token: token), token)
        }
        return nil
    }

    /// What follows `Bearer ` (any case), without the spaces and tabs around it; nil for another scheme.
    static func bearerValue(_ authorization: String) -> Substring? {
        // Byte by byte: a Character can be a letter with a combining mark, which is not the scheme.
        let utf8 = authorization.utf8
        var index = utf8.startIndex
        for letter in "bearer ".utf8 {
            guard index != utf8.endIndex else { return nil }
            let byte = utf8[index]
            guard byte == letter || (letter != UInt8(ascii: " ") && byte | 0x20 == letter) else { return nil }
            utf8.formIndex(after: &index)
        }
        func blank(_ character: Character) -> Bool { character == " " || character == "\t" }
        var rest = authorization[index...].drop(while: blank)
        while let last = rest.last, blank(last) { rest = rest.dropLast() }
        return rest
    }

    /// The caller, or nil when the request carries no valid credential.
    func resolve(_ request: Request, cookies: Bool = true) async throws -> Caller? {
        guard let (credential, value) = credential(request, cookies: cookies) else { return nil }
        if credential == .jwt {
            // A wrong token is no caller (401); a store or JWKS that cannot answer is an outage (503), so clients keep
            // their tokens instead of sending users to sign in again.
            let userID: String
            do {
                userID = try await tokens.verify(value)
            } catch let error as TodoError where error.code == TodoError.unavailable("").code {
                throw error
            } catch {
                return nil
            }
            guard let user = try await users.user(id: userID) else { return nil }
            return Caller(user: user, session: nil, credential: credential)
        }
        guard let (found, refreshed) = try await auth.authenticateRefreshing(token: value) else { return nil }
        return Caller(user: found.user, session: found.session, credential: credential, refreshed: refreshed)
    }
}
