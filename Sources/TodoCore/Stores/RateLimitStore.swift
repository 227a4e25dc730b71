import Foundation

/// Whether one more request fits in its key's rate.
public struct RateDecision: Sendable, Equatable {
    public let allowed: Bool
    /// Seconds until the next request would fit, when this one does not.
    public let retryAfter: Int

    public init(allowed: Bool, retryAfter: Int) {
        self.allowed = allowed
        self.retryAfter = retryAfter
    }
}

/// Shared rate-limit state, so the limits hold across replicas.
public protocol RateLimitStore: Sendable {
    /// Counts one request on `key` against `limit` per `window` seconds, with bursts of up to `limit`.
    func consume(key: String, limit: Int, window: Int, now: Date) async throws -> RateDecision
    /// Adds `count` requests a replica already admitted on its own; refused when the key's bucket is now over.
    func record(key: String, count: Int, perMinute: Int, now: Date) async throws -> RateDecision
}

extension RateLimitStore {
    /// `limit` a minute, with bursts of up to `limit`.
    public func consume(key: String, perMinute: Int, now: Date) async throws -> RateDecision {
        try await consume(key: key, limit: perMinute, window: 60, now: now)
    }
}
