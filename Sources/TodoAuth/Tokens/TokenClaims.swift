import Foundation
import JWTKit
import TodoCore

/// The claims of the access tokens we issue, shaped as Better Auth's JWT plugin issues them: the whole user (`id`,
/// `name`, `email`, `emailVerified`, `image` — null when absent — `createdAt`, `updatedAt`), then `sub`, `iss` = `aud`
/// = the public URL's origin, and `iat`/`exp` in whole seconds (joserfc refuses a fractional `iat` as "issued in
/// the future" within its first second).
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var iss: IssuerClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    /// The user as Better Auth's session shows it; absent from tokens issued before it was added.
    var user: User?

    init(user: User, issuer: String, issuedAt: Date, lifetime: TimeInterval) {
        let whole = Date(timeIntervalSince1970: issuedAt.timeIntervalSince1970.rounded(.down))
        sub = .init(value: user.id)
        iss = .init(value: issuer)
        aud = .init(value: [issuer])
        iat = .init(value: whole)
        exp = .init(value: whole.addingTimeInterval(lifetime.rounded(.down)))
        self.user = user
    }

    enum CodingKeys: String, CodingKey {
        case sub, iss, aud, exp, iat, id, name, email, emailVerified, image, createdAt, updatedAt
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sub = try container.decode(SubjectClaim.self, forKey: .sub)
        iss = try container.decode(IssuerClaim.self, forKey: .iss)
        aud = try container.decode(AudienceClaim.self, forKey: .aud)
        exp = try container.decode(ExpirationClaim.self, forKey: .exp)
        iat = try container.decode(IssuedAtClaim.self, forKey: .iat)
        user = nil
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let user {
            try container.encode(user.id, forKey: .id)
            try container.encode(user.name, forKey: .name)
            try container.encode(user.email, forKey: .email)
            try container.encode(user.emailVerified, forKey: .emailVerified)
            if let image = user.image { try container.encode(image, forKey: .image) } else { try container.encodeNil(forKey: .image) }
            try container.encode(Timestamp.format(user.createdAt), forKey: .createdAt)
            try container.encode(Timestamp.format(user.updatedAt), forKey: .updatedAt)
        }
        try container.encode(sub, forKey: .sub)
        try container.encode(iss, forKey: .iss)
        try container.encode(aud, forKey: .aud)
        try container.encode(Int64(exp.value.timeIntervalSince1970), forKey: .exp)
        try container.encode(Int64(iat.value.timeIntervalSince1970), forKey: .iat)
    }

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
