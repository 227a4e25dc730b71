import Foundation
import TodoCore

/// Turns a refused request into `TodoError.rateLimited`, which the API answers with 429 and `Retry-After`.
public struct RateLimiter: Sendable {
    let store: any RateLimitStore
    let now: @Sendable () -> Date

    public init(store: any RateLimitStore, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.now = now
    }

    public func check(_ key: String, perMinute: Int) async throws {
        try await check(key, limit: perMinute, window: 60)
    }

    /// `limit` requests per `window` seconds, bursts included.
    public func check(_ key: String, limit: Int, window: Int) async throws {
        let decision = try await store.consume(key: key, limit: limit, window: window, now: now())
        guard decision.allowed else { throw TodoError.rateLimited(retryAfter: decision.retryAfter) }
    }
}
