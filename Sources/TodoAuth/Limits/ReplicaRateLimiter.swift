import Foundation
import Synchronization
import TodoCore

/// The per-user request limit without a database write per request. Each replica runs the user's token bucket
/// in memory, so one replica alone admits exactly `perMinute` (with bursts of as many); what it admitted is added
/// to the shared bucket in batches of `reportBatch(perMinute:)`, and once the shared bucket is over, every replica
/// refuses that user until it drains. Bound: with N replicas a user gets at most N × batch requests more than one
/// replica would admit (batch = a tenth of the limit: 12 at the default 120 a minute). Requests that never fill
/// a batch within a minute are forgotten, so ordinary use writes nothing.
public final class ReplicaRateLimiter: Sendable {
    fileprivate struct Bucket {
        /// The local bucket's theoretical arrival time, in milliseconds.
        var tat: Int64 = 0
        var unreported = 0
        var unreportedSince: Int64 = 0
        /// Set when the shared bucket said the user is over; no database until then.
        var blockedUntil: Int64 = 0
    }

    private struct State {
        var buckets: [String: Bucket] = [:]
        var nextSweep: Int64 = 0
    }

    private let store: any RateLimitStore
    private let now: @Sendable () -> Date
    private let capacity: Int
    private let state = Mutex(State())

    /// `capacity` bounds the users tracked in memory; past it (after forgetting idle ones) each request of a new
    /// user goes to the shared bucket directly.
    public init(store: any RateLimitStore, capacity: Int = 50_000, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.capacity = capacity
        self.now = now
    }

    /// A tenth of the limit: the most a replica admits for one user before telling the shared bucket.
    public static func reportBatch(perMinute: Int) -> Int { max(1, perMinute / 10) }

    /// Throws `TodoError.rateLimited` when `key` is over its limit on this replica or in the shared bucket.
    public func check(_ key: String, perMinute: Int) async throws {
        let date = now()
        let t = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let interval = max(1, 60_000 / Int64(max(1, perMinute)))
        let tolerance = interval * Int64(max(0, perMinute - 1))
        let batch = Self.reportBatch(perMinute: perMinute)
        let outcome = state.withLock { state -> Outcome in
            if state.buckets[key] == nil, state.buckets.count >= capacity {
                sweep(&state, now: t)
                if state.buckets.count >= capacity { return .untracked }
            }
            return state.buckets[key, default: Bucket()].admit(now: t, interval: interval, tolerance: tolerance, batch: batch)
        }
        switch outcome {
        case .admitted:
            return
        case .refused(let millis):
            throw TodoError.rateLimited(retryAfter: Int(max(1, (millis + 999) / 1000)))
        case .untracked:
            let decision = try await store.consume(key: key, perMinute: perMinute, now: date)
            guard decision.allowed else { throw TodoError.rateLimited(retryAfter: decision.retryAfter) }
        case .report(let count):
            let decision: RateDecision
            do {
                decision = try await store.record(key: key, count: count, perMinute: perMinute, now: date)
            } catch {
                // Not counted yet: the next request of the user tries again.
                state.withLock { $0.buckets[key]?.unreported += count }
                throw error
            }
            guard decision.allowed else {
                state.withLock { $0.buckets[key]?.blockedUntil = t + Int64(decision.retryAfter) * 1000 }
                throw TodoError.rateLimited(retryAfter: decision.retryAfter)
            }
        }
    }

    /// Forgets users whose local bucket has refilled and who have nothing unreported from the last minute; at most
    /// once a second, so a full table of busy users does not sweep on every request.
    private func sweep(_ state: inout State, now t: Int64) {
        guard t >= state.nextSweep else { return }
        state.nextSweep = t + 1000
        state.buckets = state.buckets.filter { _, bucket in
            bucket.tat > t || bucket.blockedUntil > t || (bucket.unreported > 0 && bucket.unreportedSince > t - 60_000)
        }
    }

    fileprivate enum Outcome {
        case admitted
        case refused(retryAfterMillis: Int64)
        case report(count: Int)
        case untracked
    }
}

extension ReplicaRateLimiter.Bucket {
    fileprivate mutating func admit(now t: Int64, interval: Int64, tolerance: Int64, batch: Int) -> ReplicaRateLimiter.Outcome {
        if blockedUntil > t { return .refused(retryAfterMillis: blockedUntil - t) }
        let arrival = max(tat, t)
        guard arrival - t <= tolerance else { return .refused(retryAfterMillis: arrival - t - tolerance) }
        tat = arrival + interval
        // A per-minute limit: what was admitted more than a minute ago no longer needs to reach the shared bucket.
        if unreportedSince <= t - 60_000 {
            unreported = 0
            unreportedSince = t
        }
        unreported += 1
        guard unreported >= batch else { return .admitted }
        let count = unreported
        unreported = 0
        unreportedSince = t
        return .report(count: count)
    }
}
