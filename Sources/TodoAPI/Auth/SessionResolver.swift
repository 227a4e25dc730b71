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
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            let value = authorization.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { return nil }
            if value.split(separator: ".", omittingEmptySubsequences: false).count == 3, !value.contains("%") {
                return (.jwt, value)
            }
            // A plain token is letters and digits; a value with a dot is the signed cookie form.
            if value.contains(".") || value.contains("%") {
                return SignedCookie.verify(value, secrets: cookie.secrets.value).map { (.bearer(token: $0), $0) }
            }
            return (.bearer(token: value), value)
        }
        if cookies, let header = request.headers[.cookie], let token = cookie.token(fromCookieHeader: header) {
            return (.cookie(token: token), token)
        }
        return nil
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
