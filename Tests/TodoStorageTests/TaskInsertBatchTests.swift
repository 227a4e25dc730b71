import Foundation
import Testing
import TodoCore
@testable import TodoStorage
import TodoTestSupport

/// New tasks written together (`SQLStore.insertTasks`, `WriteBatcher`), on every backend.
@Suite(.timeLimit(.minutes(2))) struct TaskInsertBatchTests {
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
            if kind == .postgres {
                let binds = ids.map(SQLValue.int)
                let transactions = try await store.database.query(
                    "SELECT count(DISTINCT xmin::text) AS count FROM tasks WHERE id IN (\(SQLStore.placeholders(binds, from: 1)))", binds
                )
                #expect(try transactions[0].int("count", at: 0) == 1, "one statement for the whole batch")
            }
            for user in [ada, bob] {
                let events = try await store.events(userID: user.id, after: 0, limit: 100).filter { $0.kind == "task.created" }
                let mine = try results.map { try $0.get() }.filter { $0.userID == user.id }
                #expect(events.count == mine.count)
                #expect(Set(events.map(\.data)) == Set(mine.map { WireJSON.text(TaskEventData(task: $0)) }))
            }
        }
    }

    /// One row the database refuses (its user does not exist) fails alone: the others of its batch are written,
    /// in halves of the batch rather than one by one (on PostgreSQL: 3 transactions for the 7 good rows of 8).
    @Test(arguments: StoreKind.available)
    func aRefusedRowFailsAloneAndTheRestOfItsBatchIsWritten(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let ada = try await makeUser(store)
            let ghost = "no-such-user-\(UUID().uuidString)"
            let stamp = store.taskStamp()
            let titles = ["a", "b", "ghost's", "c", "d", "e", "f", "g"]
            let inserts = titles.map { title in
                SQLStore.insertTask(
                    userID: title == "ghost's" ? ghost : ada.id, title: title, description: "", priority: .medium, tags: [],
                    dueAt: nil, recurrence: nil, reminder: nil, stamp: stamp
                )
            }
            let results = await store.insertTasks(inserts)
            if case .failure(let error) = results[2] {
                #expect(SQLError.isRefusal(error), "the foreign key's refusal, not an outage: \(error)")
            } else {
                Issue.record("a task for a user that does not exist was written")
            }
            let written = try results.indices.filter { $0 != 2 }.map { try results[$0].get() }
            #expect(written.map(\.title) == titles.filter { $0 != "ghost's" })
            #expect(try await store.tasks(matching: TaskQuery(sort: .title), userID: ada.id).map(\.title) == ["a", "b", "c", "d", "e", "f", "g"])
            #expect(try await store.tasks(matching: TaskQuery(), userID: ghost).isEmpty)
            #expect(try await store.events(userID: ghost, after: 0, limit: 10).isEmpty)
            #expect(try await store.events(userID: ada.id, after: 0, limit: 20).count == 7)
            if kind == .postgres {
                let binds = written.map { SQLValue.int($0.id) }
                let transactions = try await store.database.query(
                    "SELECT count(DISTINCT xmin::text) AS count FROM tasks WHERE id IN (\(SQLStore.placeholders(binds, from: 1)))", binds
                )
                #expect(try transactions[0].int("count", at: 0) == 3, "[a b] [c] [d e f g]")
            }
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
        }
    }

    /// Creations that arrive while the database is busy go in one statement: with the table locked, the first
    /// creation waits in the database and every later one in the queue; once the lock goes, the queue goes whole
    /// (one transaction id for all of its rows), and each caller gets its own task.
    @Test(.enabled(if: StoreKind.postgresURL != nil, "needs TEST_DATABASE_URL"))
    func creationsQueuedBehindABusyDatabaseGoInOneStatement() async throws {
        try await withFreshPostgres { location in
            try await DatabaseFactory.withDatabase(location, poolSize: 4, timeout: testDatabaseDeadline, logger: testLogger) { database in
                try await Migrator(database: database).migrate()
                let store = SQLStore(database: database)
                let ada = try await makeUser(store), bob = try await makeUser(store)
                let creating = try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { admin in
                    try await admin.transaction { locker in
                        try await locker.execute("LOCK TABLE tasks IN EXCLUSIVE MODE")
                        let creating = Task {
                            try await withThrowingTaskGroup(of: TodoTask.self) { group in
                                for index in 0..<30 {
                                    let user = index % 2 == 0 ? ada : bob
                                    group.addTask { try await store.createTask(try NewTask(title: "queued \(index)"), userID: user.id) }
                                }
                                return try await group.reduce(into: []) { $0.append($1) }
                            }
                        }
                        while store.taskInserts.waitingCount < 29 { try await Task.sleep(for: .milliseconds(5)) }
                        return creating
                    }
                }
                let created = try await creating.value
                #expect(created.count == 30)
                for (user, parity) in [(ada, 0), (bob, 1)] {
                    let mine = created.filter { $0.userID == user.id }.map(\.title)
                    #expect(Set(mine) == Set(stride(from: parity, to: 30, by: 2).map { "queued \($0)" }))
                }
                let ids = created.map { SQLValue.int($0.id) }
                let transactions = try await database.query(
                    "SELECT count(DISTINCT xmin::text) AS count FROM tasks WHERE id IN (\(SQLStore.placeholders(ids, from: 1)))", ids
                )
                let xmins = try await database.query("SELECT xmin::text AS x FROM tasks ORDER BY id", []).map { try $0.string("x") }
                #expect(try transactions[0].int("count", at: 0) == 2, "\(xmins)")
                let events = try await database.query("SELECT count(*) AS count FROM events WHERE kind = 'task.created'", [])
                #expect(try events[0].int("count", at: 0) == 30)
            }
        }
    }

    /// The batch statement checks its own pairing of rows and callers before it can commit: when the database
    /// changes rows on the way in (here a trigger), the statement is refused whole (no event of it stays) and each
    /// task is written alone, with its own event.
    @Test(.enabled(if: StoreKind.postgresURL != nil, "needs TEST_DATABASE_URL"))
    func aBatchWhoseRowsComeBackChangedIsRefusedWholeAndWrittenOneByOne() async throws {
        try await withFreshPostgres { location in
            try await DatabaseFactory.withDatabase(location, poolSize: 4, timeout: testDatabaseDeadline, logger: testLogger) { database in
                try await Migrator(database: database).migrate()
                try await database.execute("""
                    CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.title := upper(NEW.title); RETURN NEW; END $$
                    """)
                try await database.execute("CREATE TRIGGER shout BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION shout()")
                let store = SQLStore(database: database)
                let ada = try await makeUser(store)
                let stamp = store.taskStamp()
                let inserts = ["one", "two", "three"].map { title in
                    SQLStore.insertTask(
                        userID: ada.id, title: title, description: "", priority: .medium, tags: [], dueAt: nil, recurrence: nil,
                        reminder: nil, stamp: stamp
                    )
                }
                let created = try await store.insertTasks(inserts).map { try $0.get() }
                #expect(created.map(\.title) == ["ONE", "TWO", "THREE"])
                let transactions = try await database.query("SELECT count(DISTINCT xmin::text) AS count FROM tasks", [])
                #expect(try transactions[0].int("count", at: 0) == 3, "refused as a batch, then one transaction each")
                let events = try await store.events(userID: ada.id, after: 0, limit: 10)
                #expect(events.count == 3)
                for task in created {
                    #expect(events.filter { $0.data.contains("\"id\":\(task.id),") }.count == 1)
                }
            }
        }
    }

    /// A burst of new tasks while their table is locked (the database stalls): every caller gets a 503-class error
    /// instead of waiting on (a queued one within two deadlines), and once the lock is gone new tasks are written
    /// again, so no lane was lost to the stall.
    @Test(.enabled(if: StoreKind.postgresURL != nil, "needs TEST_DATABASE_URL"))
    func aStalledDatabaseFailsEveryWaitingCreateAndWritingResumesAfter() async throws {
        try await withFreshPostgres { location in
            // Set-up and checks go through a patient handle; only the store under test has the short deadline.
            try await DatabaseFactory.withDatabase(location, poolSize: 2, timeout: testDatabaseDeadline, logger: testLogger) { admin in
                try await Migrator(database: admin).migrate()
                let user = try await makeUser(SQLStore(database: admin))
                try await DatabaseFactory.withDatabase(location, poolSize: 4, timeout: .seconds(1), logger: testLogger) { database in
                    let store = SQLStore(database: database)
                    let outcomes = try await admin.transaction { locker in
                        try await locker.execute("LOCK TABLE tasks IN EXCLUSIVE MODE")
                        return await withTaskGroup(of: (String, Result<TodoTask, any Error>).self) { group in
                            for index in 0..<20 {
                                let title = "stalled \(index)"
                                group.addTask { (title, await Result { try await store.createTask(try NewTask(title: title), userID: user.id) }) }
                            }
                            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
                        }
                    }
                    for outcome in outcomes.values {
                        #expect(throws: TodoError.self) { try outcome.get() }
                        if case .failure(let error as TodoError) = outcome { #expect(error.code == "SERVICE_UNAVAILABLE") }
                    }
                    // The statements that were sent finish once the lock is gone (their callers were told the outcome
                    // is unknown); the ones that never left the queue were told "not saved", and are not.
                    while try await admin.query(
                        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%INSERT INTO tasks%' AND pid <> pg_backend_pid()",
                        []
                    ).count > 0 { try await Task.sleep(for: .milliseconds(20)) }
                    let stored = Set(try await SQLStore(database: admin).tasks(matching: TaskQuery(limit: 100), userID: user.id).map(\.title))
                    for (title, outcome) in outcomes {
                        if case .failure(let error as TodoError) = outcome, error.message.contains("not saved") {
                            #expect(!stored.contains(title))
                        }
                    }
                    // No lane was lost to the stall: a new task is written again (a lost lane would wait forever; a busy
                    // machine may need a second try within the 1 s deadline).
                    var after: TodoTask?
                    for _ in 0..<5 where after == nil {
                        after = try? await store.createTask(try NewTask(title: "after"), userID: user.id)
                    }
                    #expect(after?.title == "after")
                }
            }
        }
    }

    /// What counts as the database refusing a statement for the data it carries (worth trying its rows one by one),
    /// and what is an outage, a conflict or a broken statement (fails the batch as it would have failed each).
    @Test func refusalsAreConstraintAndValueErrorsOnly() {
        for state in ["23503", "23514", "22001", "22P02"] {
            #expect(SQLError.isRefusal(PostgresServerError(sqlState: state, message: "")), "\(state)")
        }
        for state in ["57014", "40001", "40P01", "25006", "55P03", "53300", "42501", "42703"] {
            #expect(!SQLError.isRefusal(PostgresServerError(sqlState: state, message: "")), "\(state)")
        }
        #expect(SQLError.isRefusal(SQLiteFailure(status: 19 | (1 << 8), message: "CHECK constraint failed")))
        #expect(SQLError.isRefusal(SQLError.uniqueViolation))
        #expect(!SQLError.isRefusal(SQLiteFailure(status: 10, message: "disk I/O error")))
        #expect(!SQLError.isRefusal(SQLError.outcomeUnknown))
        #expect(!SQLError.isRefusal(CancellationError()))
    }
}
