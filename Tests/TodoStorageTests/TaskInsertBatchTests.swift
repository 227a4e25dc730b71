import Foundation
import Testing
import TodoCore
@testable import TodoStorage
import TodoTestSupport

/// New tasks written together (`SQLStore.insertTasks`, `WriteBatcher`), on every backend.
@Suite struct TaskInsertBatchTests {
    /// A batch mixing users, twins (same user, same title) and every optional field: each caller gets the task it
    /// asked for, as the database holds it, with exactly one `task.created` event carrying that task.
    @Test(arguments: StoreKind.available)
    func everyTaskOfABatchIsWhatItsCallerAskedFor(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let ada = try await makeUser(store), bob = try await makeUser(store)
            let due = Timestamp.parse("2026-12-24T18:00:00Z")!
            let stamp = store.taskStamp()
            var inserts: [SQLStore.TaskWrite] = []
            for index in 0..<12 {
                let odd = index % 2 == 1
                let tags: [String] = index % 4 == 0 ? [] : ["t\(index)", "shared"]
                let reminder: Reminder? = index == 7 ? .before(minutes: 15) : index == 9 ? .at(due) : nil
                let priority: Priority = [.low, .medium, .high][index % 3]
                inserts.append(SQLStore.insertTask(
                    userID: index % 3 == 0 ? bob.id : ada.id, title: index < 4 ? "twin" : "task \(index)",
                    description: odd ? "note \(index) ✓" : "", priority: priority, tags: tags,
                    dueAt: odd ? due.addingTimeInterval(Double(index) * 60) : nil, recurrence: index == 5 ? .weekly : nil,
                    reminder: reminder, stamp: Timestamp.wholeMilliseconds(stamp.addingTimeInterval(Double(index) / 1000))
                ))
            }
            let results = await store.insertTasks(inserts)
            #expect(results.count == inserts.count)
            var ids = Set<Int64>()
            for (insert, result) in zip(inserts, results) {
                let created = try result.get()
                var asked = insert.task
                asked.id = created.id
                // As JSON: times are compared to the millisecond they are kept to, not by their floating-point bits.
                #expect(WireJSON.text(TaskEventData(task: created)) == WireJSON.text(TaskEventData(task: asked)))
                #expect(try await store.task(id: created.id, userID: created.userID) == created)
                ids.insert(created.id)
            }
            #expect(ids.count == inserts.count)
            for user in [ada, bob] {
                let events = try await store.events(userID: user.id, after: 0, limit: 100).filter { $0.kind == "task.created" }
                let mine = try results.map { try $0.get() }.filter { $0.userID == user.id }
                #expect(events.count == mine.count)
                #expect(Set(events.map(\.data)) == Set(mine.map { WireJSON.text(TaskEventData(task: $0)) }))
            }
        }
    }

    /// One row the database refuses (its user does not exist) fails alone: the others of its batch are written.
    @Test(arguments: StoreKind.available)
    func aRefusedRowFailsAloneAndTheRestOfItsBatchIsWritten(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let ada = try await makeUser(store)
            let ghost = "no-such-user-\(UUID().uuidString)"
            let stamp = store.taskStamp()
            let inserts = ["one", "two", "ghost's", "three"].map { title in
                SQLStore.insertTask(
                    userID: title == "ghost's" ? ghost : ada.id, title: title, description: "", priority: .medium, tags: [],
                    dueAt: nil, recurrence: nil, reminder: nil, stamp: stamp
                )
            }
            let results = await store.insertTasks(inserts)
            #expect(throws: (any Error).self) { try results[2].get() }
            for index in [0, 1, 3] { #expect(try results[index].get().title == inserts[index].task.title) }
            #expect(try await store.tasks(matching: TaskQuery(sort: .title), userID: ada.id).map(\.title) == ["one", "three", "two"])
            #expect(try await store.tasks(matching: TaskQuery(), userID: ghost).isEmpty)
            #expect(try await store.events(userID: ghost, after: 0, limit: 10).isEmpty)
        }
    }

    /// Many callers at once through `createTask`: every task written once, for its own user. On PostgreSQL the
    /// rows' transaction ids show that they went in batches (fewer transactions than tasks).
    @Test(arguments: StoreKind.available)
    func concurrentCreatesAreEachWrittenOnceForTheirOwnUser(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var users: [User] = []
            for _ in 0..<4 { users.append(try await makeUser(store)) }
            let created = try await withThrowingTaskGroup(of: TodoTask.self) { group in
                for index in 0..<48 {
                    let user = users[index % users.count]
                    group.addTask { try await store.createTask(try NewTask(title: "task \(index)"), userID: user.id) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(created.map(\.id)).count == 48)
            for (number, user) in users.enumerated() {
                let titles = try await store.tasks(matching: TaskQuery(limit: 100), userID: user.id).map(\.title)
                #expect(Set(titles) == Set(stride(from: number, to: 48, by: users.count).map { "task \($0)" }))
                #expect(titles.count == 12)
                #expect(try await store.events(userID: user.id, after: 0, limit: 100).count == 12)
            }
            if kind == .postgres {
                let ids = created.map { SQLValue.int($0.id) }
                let transactions = try await store.database.query(
                    "SELECT count(DISTINCT xmin::text) AS count FROM tasks WHERE id IN (\(SQLStore.placeholders(ids, from: 1)))", ids
                )
                #expect(try transactions[0].int("count", at: 0) < 48)
            }
        }
    }

    /// A burst of new tasks while their table is locked (the database stalls): every caller gets a 503-class error
    /// instead of waiting on (a queued one within two deadlines), and once the lock is gone new tasks are written
    /// again, so no lane was lost to the stall.
    @Test(.enabled(if: StoreKind.postgresURL != nil, "needs TEST_DATABASE_URL"))
    func aStalledDatabaseFailsEveryWaitingCreateAndWritingResumesAfter() async throws {
        try await withFreshPostgres { location in
            try await DatabaseFactory.withDatabase(location, poolSize: 4, timeout: .seconds(1), logger: testLogger) { database in
                try await Migrator(database: database).migrate()
                let store = SQLStore(database: database)
                let user = try await makeUser(store)
                try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { admin in
                    try await admin.transaction { locker in
                        try await locker.execute("LOCK TABLE tasks IN EXCLUSIVE MODE")
                        let outcomes = await withTaskGroup(of: Result<TodoTask, any Error>.self) { group in
                            for index in 0..<20 {
                                group.addTask { await Result { try await store.createTask(try NewTask(title: "stalled \(index)"), userID: user.id) } }
                            }
                            return await group.reduce(into: []) { $0.append($1) }
                        }
                        for outcome in outcomes {
                            #expect(throws: TodoError.self) { try outcome.get() }
                            if case .failure(let error as TodoError) = outcome { #expect(error.code == "SERVICE_UNAVAILABLE") }
                        }
                    }
                }
                #expect(try await store.createTask(try NewTask(title: "after"), userID: user.id).title == "after")
            }
        }
    }
}
