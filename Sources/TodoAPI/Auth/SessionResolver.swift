import Foundation
import HTTPTypes
import Hummingbird
import TodoAuth
import TodoCore

/// How a request proved who it is.
enum Credential: Equatable {
    /// A `Cookie` header: state-changing requests must also pass the Origin check.
    case cookie(String)
    /// An `Authorization: Bearer` header: not sent by browsers on their own, so no CSRF risk.
    case bearer(String)

    var token: String {
        switch self {
        case .cookie(let token), .bearer(let token): token
        }
    }
}

/// Finds the session a request carries: a bearer token (plain or signed) first, then the session cookie.
struct SessionResolver: Sendable {
    let auth: AuthService
    let cookie: SessionCookie

    func credential(_ request: Request) -> Credential? {
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            let value = authorization.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { return nil }
            // A plain token is letters and digits; a value with a dot is the signed cookie form.
            if value.contains(".") || value.contains("%") {
                return SignedCookie.verify(value, secrets: cookie.secrets).map(Credential.bearer)
            }
            return .bearer(value)
        }
        if let header = request.headers[.cookie], let token = cookie.token(fromCookieHeader: header) {
            return .cookie(token)
        }
        return nil
    }

    func resolve(_ request: Request) async throws -> (AuthenticatedSession, Credential)? {
        guard let credential = credential(request),
              let session = try await auth.authenticate(token: credential.token)
        else { return nil }
        return (session, credential)
    }
}
