import Foundation
import Testing
import TodoAuth
import TodoCore
import TodoStorage
import TodoTestSupport

/// The per-user request limit: exact on one replica, within N × batch across N replicas, and no write for use
/// that stays under a batch a minute. Replicas are limiters sharing one real store; the clock is frozen or moved
/// by hand, so nothing depends on the machine's speed.
@Suite struct ReplicaRateLimiterTests {
    static func admits(_ limiter: ReplicaRateLimiter, _ key: String, perMinute: Int) async throws -> Bool {
        do {
            try await limiter.check(key, perMinute: perMinute)
            return true
        } catch let error as TodoError where error.code == "TOO_MANY_REQUESTS" {
            return false
        }
    }

    static func sharedRows(_ store: SQLStore, _ key: String) async throws -> Int {
        let rows = try await store.database.query(#"SELECT count(*) AS n FROM "rateLimit" WHERE "key" = $1"#, [.text(key)])
        return Int(try rows[0].int("n"))
    }

    @Test(arguments: StoreKind.available)
    func oneReplicaAdmitsExactlyTheLimitAndWritesOnlyPerBatch(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let clock = ManualClock()
            let limiter = ReplicaRateLimiter(store: store, now: clock.now)
            let key = "user:\(UUID().uuidString)"
            for _ in 0..<(ReplicaRateLimiter.reportBatch(perMinute: 50) - 1) {
                #expect(try await Self.admits(limiter, key, perMinute: 50))
            }
            #expect(try await Self.sharedRows(store, key) == 0, "use under a batch writes nothing")
            var admitted = ReplicaRateLimiter.reportBatch(perMinute: 50) - 1
            for _ in 0..<100 where try await Self.admits(limiter, key, perMinute: 50) { admitted += 1 }
            #expect(admitted == 50)
            #expect(try await Self.sharedRows(store, key) == 1, "the batches reached the shared bucket")
        }
    }

    @Test(arguments: StoreKind.available)
    func twoReplicasStayWithinTheDocumentedBound(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let clock = ManualClock()
            let replicas = [ReplicaRateLimiter(store: store, now: clock.now), ReplicaRateLimiter(store: store, now: clock.now)]
            let (limit, key) = (40, "user:\(UUID().uuidString)")
            let batch = ReplicaRateLimiter.reportBatch(perMinute: limit)
            var admitted = 0
            for attempt in 0..<200 where try await Self.admits(replicas[attempt % 2], key, perMinute: limit) { admitted += 1 }
            // Each replica alone would admit 40, so without the shared bucket the user would get 80.
            #expect(admitted >= limit - batch && admitted <= limit + replicas.count * batch, "admitted \(admitted)")
            // Once the shared bucket is over, neither replica admits more (the clock stands still).
            for attempt in 0..<10 { #expect(try await !Self.admits(replicas[attempt % 2], key, perMinute: limit)) }

            // A minute later the bucket has drained: both admit again, still within the bound per minute.
            clock.advance(by: 61)
            admitted = 0
            for attempt in 0..<200 where try await Self.admits(replicas[attempt % 2], key, perMinute: limit) { admitted += 1 }
            #expect(admitted > 0 && admitted <= limit + replicas.count * batch, "admitted \(admitted) after a minute")
        }
    }

    @Test func requestsUnderABatchAMinuteAreForgottenNotWritten() async throws {
        try await withStore(.sqliteMemory) { store async throws in
            let clock = ManualClock()
            let limiter = ReplicaRateLimiter(store: store, now: clock.now)
            let key = "user:\(UUID().uuidString)"
            for _ in 0..<20 {
                for _ in 0..<5 { #expect(try await Self.admits(limiter, key, perMinute: 60)) }
                clock.advance(by: 61)
            }
            #expect(try await Self.sharedRows(store, key) == 0, "5 a minute against a batch of 6: never reported")
        }
    }

    @Test func pastItsCapacityTheLimiterAsksTheSharedBucketForEveryRequest() async throws {
        try await withStore(.sqliteMemory) { store async throws in
            let clock = ManualClock()
            let limiter = ReplicaRateLimiter(store: store, capacity: 2, now: clock.now)
            for user in ["a", "b"] { #expect(try await Self.admits(limiter, "user:\(user)", perMinute: 100)) }
            #expect(try await Self.admits(limiter, "user:c", perMinute: 100))
            #expect(try await Self.sharedRows(store, "user:c") == 1, "an untracked user is limited by the database alone")
            #expect(try await Self.sharedRows(store, "user:a") == 0)
        }
    }
}
