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
    /// Counts one request on `key` against `perMinute` a minute, with bursts of up to `perMinute`.
    func consume(key: String, perMinute: Int, now: Date) async throws -> RateDecision
    /// Adds `count` requests a replica already admitted on its own; refused when the key's bucket is now over.
    func record(key: String, count: Int, perMinute: Int, now: Date) async throws -> RateDecision
}
