import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import NIOHTTP1
import TodoCore

/// The JWKS of an external Better Auth (`AUTH_JWKS_URL`): fetched on first use, cached, and fetched again when a
/// token names a key it does not hold (a rotation). Fetches are throttled: at most one runs at a time, and a new one
/// starts at most every `refreshInterval`, so tokens with made-up key ids cannot turn into a stream of requests.
/// Tokens must carry `iss` = `AUTH_JWKS_ISSUER` and an `aud` including `AUTH_JWKS_AUDIENCE` when those are set.
public actor ExternalKeySet {
    let url: String
    let issuer: String?
    let audience: String?
    let refreshInterval: Duration
    private var keys: JWTKeyCollection?
    private var kids: Set<String> = []
    private var lastFetch: ContinuousClock.Instant?
    private var inFlight: Task<(JWTKeyCollection, Set<String>), any Error>?

    public init(url: String, issuer: String? = nil, audience: String? = nil, refreshInterval: Duration = .seconds(30)) {
        self.url = url
        self.issuer = issuer
        self.audience = audience
        self.refreshInterval = refreshInterval
    }

    /// The subject of a token signed by one of the external keys, not expired, and meant for us.
    func verify(_ token: String, kid: String?) async throws -> String {
        var keys = try await current()
        if let kid, !kids.contains(kid), canRefresh {
            keys = try await fetch()
        }
        let claims = try await keys.verify(token, as: SharedSecretClaims.self)
        try claims.check(issuer: issuer, audience: audience, defaultAudience: nil)
        return claims.sub.value
    }

    private var canRefresh: Bool {
        guard let lastFetch else { return true }
        return ContinuousClock.now - lastFetch >= refreshInterval
    }

    private func current() async throws -> JWTKeyCollection {
        if let keys { return keys }
        // Never fetched successfully: the same throttle holds, so an unreachable JWKS is asked once per interval.
        guard canRefresh || inFlight != nil else {
            throw TodoError.unavailable("the external JWKS (AUTH_JWKS_URL) could not be fetched; retrying shortly")
        }
        return try await fetch()
    }

    /// Joins the fetch in flight, or starts one.
    private func fetch() async throws -> JWTKeyCollection {
        if let inFlight { return try await inFlight.value.0 }
        lastFetch = .now
        let url = self.url
        let task = Task { try await Self.download(url) }
        inFlight = task
        defer { inFlight = nil }
        let (collection, identifiers) = try await task.value
        keys = collection
        kids = identifiers
        return collection
    }

    /// The key set at `url`; any failure to get it is an outage of the issuer (`TodoError.unavailable`, a 503), never a
    /// verdict on the token.
    private static func download(_ url: String) async throws -> (JWTKeyCollection, Set<String>) {
        do {
            return try await read(url)
        } catch let error as TodoError {
            throw error
        } catch {
            throw TodoError.unavailable("the external JWKS (AUTH_JWKS_URL) could not be fetched: \(error)")
        }
    }

    private static func read(_ url: String) async throws -> (JWTKeyCollection, Set<String>) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
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
        return (collection, identifiers)
    }
}
