import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TodoAPI
import TodoAuth
import TodoCore
import TodoTestSupport

/// What each replica keeps in memory still holds across replicas: the per-user request limit stays within its
/// documented bound, and a sign-out through one replica ends the session on the other within `SESSION_CACHE_TTL`.
@Suite struct ReplicaLimitsTests {
    /// Stores two replicas can share (an in-memory SQLite database belongs to one process).
    static var kinds: [StoreKind] { StoreKind.available.filter { $0 != .sqliteMemory } }

    static func withReplicas(
        _ location: DatabaseLocation, now: @escaping @Sendable () -> Date = Date.init, configure: @escaping @Sendable (inout APIConfiguration) -> Void,
        _ body: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await withAPI(location, mode: .live, now: now, configure: configure) { first in
            try await withAPI(location, mode: .live, now: now, configure: configure) { second in
                try await body(first, second)
            }
        }
    }

    @Test(arguments: kinds)
    func aUserSprayingTwoReplicasGetsTheLimitPlusAtMostABatchPerReplica(kind: StoreKind) async throws {
        // Frozen at the real time: sign-up's limits are shared with parallel tests on the same database.
        let clock = ManualClock(start: Date())
        let limit = 30
        try await Self.withReplicas(try kind.location(), now: clock.now, configure: { $0.rateLimitPerMinute = limit }) { first, second in
            let ada = try await TestAccount.create(first, "spray")
            let eve = try await TestAccount.create(second, "other")
            var statuses: [HTTPResponse.Status] = []
            for attempt in 0..<120 {
                let replica = attempt % 2 == 0 ? first : second
                statuses.append(try await replica.execute(uri: "/api/tasks", method: .get, headers: ada.bearer).status)
            }
            let admitted = statuses.filter { $0 == .ok }.count
            let batch = ReplicaRateLimiter.reportBatch(perMinute: limit)
            // One replica alone admits 30; two without a shared bucket would admit 60.
            #expect(admitted >= limit - batch && admitted <= limit + 2 * batch, "admitted \(admitted) of 120")
            #expect(Set(statuses).isSubset(of: [.ok, .tooManyRequests]))
            #expect(statuses.suffix(20).allSatisfy { $0 == .tooManyRequests }, "once over, both replicas refuse")
            let refused = try await second.execute(uri: "/api/tasks", method: .get, headers: ada.bearer)
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            for replica in [first, second] {
                #expect(try await replica.execute(uri: "/api/tasks", method: .get, headers: eve.bearer).status == .ok, "per user")
            }
        }
    }

    @Test(arguments: kinds)
    func aSignOutThroughOneReplicaEndsTheSessionOnTheOtherWithinTheCacheTTL(kind: StoreKind) async throws {
        let ttl = Duration.seconds(1)
        try await Self.withReplicas(try kind.location(), configure: { $0.sessionCacheTTL = ttl }) { first, second in
            let ada = try await TestAccount.create(first, "revoke")
            // The second replica has verified (and cached) the session.
            #expect(try await second.execute(uri: "/api/tasks", method: .get, headers: ada.bearer).status == .ok)
            let signOut = try await first.execute(uri: "/api/auth/sign-out", method: .post, headers: ada.bearer)
            #expect(signOut.status == .ok)
            let signedOut = ContinuousClock.now
            #expect(try await first.execute(uri: "/api/tasks", method: .get, headers: ada.bearer).status == .unauthorized, "at once where it happened")
            // The other replica may answer from memory until the TTL runs out, never after it.
            var lastAccepted = signedOut
            while ContinuousClock.now - signedOut < ttl + .milliseconds(100) {
                // Taken before sending, so a slow answer cannot stretch what is measured.
                let sent = ContinuousClock.now
                if try await second.execute(uri: "/api/tasks", method: .get, headers: ada.bearer).status == .ok { lastAccepted = sent }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(lastAccepted - signedOut <= ttl, "accepted \(lastAccepted - signedOut) after the sign-out")
            #expect(try await second.execute(uri: "/api/tasks", method: .get, headers: ada.bearer).status == .unauthorized)
        }
    }

    @Test(arguments: kinds)
    func withTheCacheOffASignOutEndsTheSessionEverywhereAtOnce(kind: StoreKind) async throws {
        try await Self.withReplicas(try kind.location(), configure: { $0.sessionCacheTTL = .zero }) { first, second in
            let ada = try await TestAccount.create(first, "nocache")
            #expect(try await second.execute(uri: "/api/tasks", method: .get, headers: ada.bearer).status == .ok)
            #expect(try await first.execute(uri: "/api/auth/sign-out", method: .post, headers: ada.bearer).status == .ok)
            #expect(try await second.execute(uri: "/api/tasks", method: .get, headers: ada.bearer).status == .unauthorized)
        }
    }
}
