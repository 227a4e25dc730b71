import Foundation
import Synchronization
import Testing
import TodoCore
@testable import TodoStorage
import TodoTestSupport

/// `ChangeTracker` alone, on a clock the test moves.
@Suite struct ChangeTrackerTests {
    final class Clock: Sendable {
        let instant = Mutex(ContinuousClock.now)
        @Sendable func now() -> ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
    }

    @Test func announcedChangesAreTrustedOnlyUntilTheLastConfirmationRunsOut() {
        let clock = Clock()
        let tracker = ChangeTracker(.confirmed, now: clock.now)
        #expect(tracker.stamp(scope: "ada") == nil, "nothing is trusted before the feed is confirmed")
        #expect(tracker.lastAsked == clock.now(), "asking is what starts the feed")
        tracker.confirmed(until: clock.now() + .seconds(3))
        let first = tracker.stamp(scope: "ada")
        #expect(first != nil)
        #expect(tracker.stamp(scope: "ada") == first, "unchanged while nothing changes")
        tracker.changed(scope: "ada")
        let second = tracker.stamp(scope: "ada")
        #expect(second != first)
        clock.advance(.seconds(2))
        #expect(tracker.stamp(scope: "ada") == second)
        clock.advance(.seconds(1))
        #expect(tracker.stamp(scope: "ada") == nil, "a confirmation that did not come back in time ends the trust")
        tracker.confirmed(until: clock.now() + .seconds(3))
        let third = tracker.stamp(scope: "ada")
        #expect(third != nil && third != second, "changes in the gap may have been missed: a new epoch")
        tracker.lost()
        #expect(tracker.stamp(scope: "ada") == nil)
        tracker.confirmed(until: clock.now() + .seconds(3))
        #expect(tracker.stamp(scope: "ada") != third)
        let beforeEverything = tracker.stamp(scope: "eve")
        tracker.changedEverything()
        #expect(tracker.stamp(scope: "eve") != beforeEverything)
    }

    @Test func aChangeToOneUserLeavesAnotherUsersStampAloneUnlessTheyShareACounter() {
        let tracker = ChangeTracker(.confirmed)
        tracker.confirmed(until: .now + .seconds(60))
        let users = (0..<20).map { "user-\($0)" }.filter { ChangeTracker.slot($0) != ChangeTracker.slot("ada") }
        let before = users.map { tracker.stamp(scope: $0) }
        tracker.changed(scope: "ada")
        #expect(users.map { tracker.stamp(scope: $0) } == before)
    }

    @Test func aDatabaseCountChangesTheStampAndAnUnknownCountGivesNone() {
        let count = Mutex<UInt64?>(7)
        let tracker = ChangeTracker(.databaseCount { count.withLock { $0 } })
        let first = tracker.stamp(scope: "ada")
        #expect(first != nil)
        count.withLock { $0 = 8 }
        #expect(tracker.stamp(scope: "ada") != first)
        count.withLock { $0 = nil }
        #expect(tracker.stamp(scope: "ada") == nil)
        #expect(ChangeTracker(.none).stamp(scope: "ada") == nil)
    }
}

/// The stores' change stamps against real databases: a write by this process changes the stamp as soon as it
/// returns; one by another process (another replica, `chat` on the same SQLite file, an operator's SQL) as soon as
/// the database tells (SQLite: at once; PostgreSQL: its notification, within a second here).
@Suite struct TaskChangeStampTests {
    static func waitFor(_ what: String, within limit: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
        let start = ContinuousClock.now
        while try await !condition() {
            guard ContinuousClock.now - start < limit else {
                Issue.record("\(what): not within \(limit)")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func sqliteSeesEveryCommitToItsFileAtOnce() async throws {
        let location = DatabaseLocation.sqliteFile(path: TestFiles.temporaryPath("stamps.sqlite"))
        // Two backends on one file stand for two processes.
        try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { first in
            try await Migrator(database: first).migrate()
            try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { second in
                let (here, there) = (SQLStore(database: first), SQLStore(database: second))
                let user = try await makeUser(here).id
                let before = try #require(await there.taskChangeStamp(userID: user))
                #expect(await there.taskChangeStamp(userID: user) == before)
                let task = try await here.createTask(try NewTask(title: "one"), userID: user)
                let afterOther = try #require(await there.taskChangeStamp(userID: user))
                #expect(afterOther != before, "the other process's write shows at once")
                try await second.execute("UPDATE tasks SET title = 'by hand' WHERE id = $1", [.int(task.id)])
                #expect(await there.taskChangeStamp(userID: user) != afterOther, "its own writer's commits count too")
            }
        }
    }

    @Test func anInMemoryDatabaseCachesNothing() async throws {
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store).id
            #expect(await store.taskChangeStamp(userID: user) == nil)
        }
    }

    @Test func postgresHearsOfAnotherReplicasWritesAndOperatorSQL() async throws {
        guard StoreKind.postgresURL != nil else { return }
        let location = try StoreKind.postgres.location()
        try await postgresConnectionGate.run {
            try await DatabaseFactory.withDatabase(location, poolSize: 2, timeout: testDatabaseDeadline, logger: testLogger) { first in
                try await Migrator(database: first).migrate()
                try await DatabaseFactory.withDatabase(location, poolSize: 2, timeout: testDatabaseDeadline, logger: testLogger) { second in
                    let (here, there) = (SQLStore(database: first), SQLStore(database: second))
                    let user = try await makeUser(here).id
                    // Asking starts the feed; it is trusted once its first heartbeat is back.
                    try await Self.waitFor("the feed is confirmed") { await there.taskChangeStamp(userID: user) != nil }
                    let before = try #require(await there.taskChangeStamp(userID: user))
                    let task = try await here.createTask(try NewTask(title: "one"), userID: user)
                    try await Self.waitFor("another replica's write arrives", within: .seconds(1)) {
                        await there.taskChangeStamp(userID: user) != before
                    }
                    let afterWrite = await there.taskChangeStamp(userID: user)
                    try await first.execute("UPDATE tasks SET title = 'by hand' WHERE id = $1", [.int(task.id)])
                    try await Self.waitFor("an operator's SQL arrives", within: .seconds(1)) {
                        await there.taskChangeStamp(userID: user) != afterWrite
                    }
                    // Its own writes change its stamp before they return, announcement or not.
                    let beforeOwn = await there.taskChangeStamp(userID: user)
                    _ = try await there.updateTask(id: task.id, with: try TaskPatch(title: "mine"), userID: user)
                    #expect(await there.taskChangeStamp(userID: user) != beforeOwn)
                }
            }
        }
    }

    /// Without the trigger nothing announces writes: the heartbeat, sent only while the trigger is enabled, stops
    /// coming back, and the stamp is withheld within the trust window (3 s) so no page is served from memory.
    /// The same happens when the feed's connection is cut, until a new one is confirmed (a new epoch).
    @Test func postgresWithholdsTheStampWhenTheFeedCannotBeTrusted() async throws {
        try await withFreshPostgres { location in
            try await DatabaseFactory.withDatabase(location, poolSize: 2, timeout: testDatabaseDeadline, logger: testLogger) { database in
                try await Migrator(database: database).migrate()
                let store = SQLStore(database: database)
                let user = try await makeUser(store).id
                try await Self.waitFor("the feed is confirmed") { await store.taskChangeStamp(userID: user) != nil }
                let confirmed = try #require(await store.taskChangeStamp(userID: user))

                try await database.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%tasks_change_notify%'"
                )
                try await Self.waitFor("a cut feed is noticed", within: .seconds(4)) { await store.taskChangeStamp(userID: user) == nil }
                try await Self.waitFor("a new feed is confirmed") { await store.taskChangeStamp(userID: user) != nil }
                #expect(await store.taskChangeStamp(userID: user) != confirmed, "a new epoch")

                try await database.execute("ALTER TABLE tasks DISABLE TRIGGER tasks_change_notify")
                try await Self.waitFor("a disabled trigger is noticed", within: .seconds(5)) { await store.taskChangeStamp(userID: user) == nil }
                try await database.execute("ALTER TABLE tasks ENABLE TRIGGER tasks_change_notify")
                try await Self.waitFor("an enabled trigger is trusted again") { await store.taskChangeStamp(userID: user) != nil }
            }
        }
    }
}
