import Foundation
import JWTKit
import TodoCore

/// The claims of the access tokens we issue: who (`sub`), for whom (`iss` = `aud` = the public URL), until when.
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var iss: IssuerClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var email: String?
    var name: String?

    /// Signature checks happen before this; here the time and audience must hold too.
    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// Whether HS256 tokens signed with `BETTER_AUTH_SECRET` are accepted. Anyone who knows the secret can mint one for
/// any user, so they are refused unless `ACCEPT_HS256_TOKENS` is on; then `iss` and `aud` must name the public URL
/// whenever one is configured, so a token minted for another service sharing the secret is not accepted here.
public enum HS256Policy: Sendable, Equatable {
    case refused
    /// Accepted; with an issuer, `iss` must equal it and `aud` must include it.
    case accepted(issuer: String?)
}

/// The claims of tokens we did not issue (HS256 with the shared secret, an external Better Auth): `sub` and `exp`
/// are required; `iss` and `aud` are checked against what the operator configured.
struct SharedSecretClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iss: IssuerClaim?
    var aud: AudienceClaim?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    /// With `issuer`, `iss` must equal it and `aud` must include `audience ?? issuer`; without one, a present `aud`
    /// must include `defaultAudience` (the hackathon backends' tokens carry no `iss`).
    func check(issuer: String?, audience: String? = nil, defaultAudience: String?) throws {
        if let issuer {
            guard iss?.value == issuer else { throw TokenService.invalidToken }
        }
        if let expected = audience ?? issuer {
            guard let aud else { throw TokenService.invalidToken }
            try aud.verifyIntendedAudience(includes: expected)
        } else if let aud, let defaultAudience {
            try aud.verifyIntendedAudience(includes: defaultAudience)
        }
    }
}

/// The unverified header of a JWT, read only to choose which keys may verify it.
struct TokenHeader: Decodable {
    let alg: String?
    let kid: String?

    static func parse(_ token: String) -> TokenHeader? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(parts[0]) else { return nil }
        return try? JSONDecoder().decode(TokenHeader.self, from: data)
    }
}
