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

/// HS256 tokens signed with `BETTER_AUTH_SECRET`, as the original hackathon backends made them: `sub` and `exp`
/// are required, `aud` is checked when present.
struct SharedSecretClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var aud: AudienceClaim?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
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
