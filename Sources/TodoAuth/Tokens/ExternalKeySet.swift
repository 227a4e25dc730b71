import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import NIOHTTP1
import TodoCore

/// The JWKS of an external Better Auth (`AUTH_JWKS_URL`): fetched on first use, cached, and fetched again when a
/// token names a key it does not hold (a rotation), at most every `refreshInterval`. EdDSA, ES256 and RS256 keys.
public actor ExternalKeySet {
    let url: String
    let refreshInterval: Duration
    private var keys: JWTKeyCollection?
    private var kids: Set<String> = []
    private var lastFetch: ContinuousClock.Instant?

    public init(url: String, refreshInterval: Duration = .seconds(30)) {
        self.url = url
        self.refreshInterval = refreshInterval
    }

    /// The subject of a token signed by one of the external keys and not expired.
    func verify(_ token: String, kid: String?) async throws -> String {
        var keys = try await current()
        if let kid, !kids.contains(kid), canRefresh {
            keys = try await fetch()
        }
        let claims = try await keys.verify(token, as: SharedSecretClaims.self)
        return claims.sub.value
    }

    private var canRefresh: Bool {
        guard let lastFetch else { return true }
        return ContinuousClock.now - lastFetch >= refreshInterval
    }

    private func current() async throws -> JWTKeyCollection {
        if let keys { return keys }
        return try await fetch()
    }

    private func fetch() async throws -> JWTKeyCollection {
        lastFetch = .now
        let request = HTTPClientRequest(url: url)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        guard (200..<300).contains(Int(response.status.code)) else {
            throw TodoError.unavailable("AUTH_JWKS_URL answered \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        let jwks = try JSONDecoder().decode(JWKS.self, from: Data(String(buffer: body).utf8))
        let collection = JWTKeyCollection()
        var identifiers: Set<String> = []
        for jwk in jwks.keys {
            // A key of a type we cannot use is skipped; the others still verify.
            guard (try? await collection.add(jwk: jwk)) != nil else { continue }
            if let kid = jwk.keyIdentifier?.string { identifiers.insert(kid) }
        }
        keys = collection
        kids = identifiers
        return collection
    }
}
