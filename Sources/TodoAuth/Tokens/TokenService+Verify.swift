import Foundation
import JWTKit
import TodoCore

/// Verifying bearer JWTs: our own EdDSA tokens, those of an external Better Auth, and (only when `HS256Policy`
/// allows) HS256 tokens signed with `BETTER_AUTH_SECRET`. `alg: none`, unknown algorithms and unknown keys are refused.
extension TokenService {
    static let invalidToken = TodoError.unauthorized(code: "INVALID_TOKEN", message: "The token is invalid or expired.")

    /// The user id (`sub`) of a valid token; anything else is `INVALID_TOKEN`.
    public func verify(_ token: String) async throws -> String {
        guard let header = TokenHeader.parse(token), let alg = header.alg else { throw Self.invalidToken }
        do {
            switch alg {
            case "EdDSA":
                if let ring = try await ownRing(naming: header.kid) {
                    let claims = try await ring.keys.verify(token, as: AccessClaims.self)
                    try claims.aud.verifyIntendedAudience(includes: issuer)
                    guard claims.iss.value == issuer else { throw Self.invalidToken }
                    return claims.sub.value
                }
                guard let external else { throw Self.invalidToken }
                return try await external.verify(token, kid: header.kid)
            case "HS256":
                guard case .accepted(let expectedIssuer) = hs256 else { throw Self.invalidToken }
                for secret in secrets.value where !secret.isEmpty {
                    let keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
                    guard let claims = try? await keys.verify(token, as: SharedSecretClaims.self) else { continue }
                    try claims.check(issuer: expectedIssuer, defaultAudience: issuer)
                    return claims.sub.value
                }
                throw Self.invalidToken
            case "ES256", "RS256":
                guard let external else { throw Self.invalidToken }
                return try await external.verify(token, kid: header.kid)
            default:
                throw Self.invalidToken
            }
        } catch let error as TodoError {
            throw error
        } catch {
            throw Self.invalidToken
        }
    }

    /// The key ring when `kid` names one of our keys. A key this replica has not seen may be one another replica
    /// just made, so the table is read again, but at most once per `unknownKeyRereadInterval`.
    func ownRing(naming kid: String?) async throws -> OwnKeyRing? {
        guard let kid else { return nil }
        let ring = try await currentRing(creatingIfMissing: false)
        if ring.ids.contains(kid) { return ring }
        let current = now()
        guard current.timeIntervalSince(lastUnknownKeyReread) >= Self.unknownKeyRereadInterval else { return nil }
        lastUnknownKeyReread = current
        let reread = try await currentRing(creatingIfMissing: false, reread: true)
        return reread.ids.contains(kid) ? reread : nil
    }
}
