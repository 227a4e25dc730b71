import Foundation
import Testing
import TodoCore
@testable import TodoStorage
import TodoTestSupport

/// The SQLite store's connections: kept statements, run on the caller's thread. What they must never do is show
/// old data, lose a value on the way through, trip over a schema that changed under them, or give up on (or block
/// a thread for) a database another process holds for a moment.
@Suite struct SQLiteConnectionsTests {
    /// A fresh database file in its own folder, open for the body.
    static func withFile(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = DatabaseLocation.sqliteFile(path: folder.appendingPathComponent("todo.sqlite").path)
        try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
            try await body(database)
        }
    }

    @Test func aWriterWaitsForAnotherProcessAndReadersDoNot() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = DatabaseLocation.sqliteFile(path: folder.appendingPathComponent("todo.sqlite").path)
        // Two backends on one file stand for two processes (two replicas, or `serve` and `chat`).
        try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: .seconds(30), logger: testLogger) { first in
          try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: .seconds(30), logger: testLogger) { patient in
            try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: .milliseconds(300), logger: testLogger) { impatient in
                try await first.execute("CREATE TABLE items (n INTEGER NOT NULL)")
                try await first.execute("INSERT INTO items (n) VALUES (1)")
                let holding = AsyncStream.makeStream(of: Void.self)
                let release = AsyncStream.makeStream(of: Void.self)
                async let held: Void = first.transaction { executor in
                    try await executor.execute("INSERT INTO items (n) VALUES (2)")
                    holding.continuation.yield()
                    for await _ in release.stream { break }
                }
                for await _ in holding.stream { break }
                // Readers see the last commit at once, however long the writer holds the lock.
                #expect(try await impatient.query("SELECT count(*) AS n FROM items", [])[0].int("n") == 1)
                // A write that cannot get the lock within its timeout fails as unavailable (503), having changed nothing.
                let refused = await #expect(throws: TodoError.self) { try await impatient.execute("INSERT INTO items (n) VALUES (3)") }
                #expect(refused?.code == "SERVICE_UNAVAILABLE")
                // One that can: it waits, asleep, and goes through once the lock is free.
                async let waited: Void = patient.execute("INSERT INTO items (n) VALUES (4)")
                try await Task.sleep(for: .milliseconds(50))
                release.continuation.yield()
                try await held
                try await waited
                let values = try await impatient.query("SELECT n FROM items ORDER BY n", []).map { try $0.int("n") }
                #expect(values == [1, 2, 4])
            }
          }
        }
    }

    @Test func everyReadSeesTheCommitBeforeIt() async throws {
        try await Self.withFile { database in
            try await database.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
            try await database.execute("INSERT INTO counter (n) VALUES (0)")
            // Reads alternate with commits; a statement left holding its snapshot would show an older value.
            for expected in 1...200 {
                try await database.execute("UPDATE counter SET n = $1", [.int(Int64(expected))])
                let rows = try await database.query("SELECT n FROM counter WHERE n >= $1", [.int(0)])
                #expect(try rows.map { try $0.int("n") } == [Int64(expected)])
            }
            // Concurrent readers (more than there are read connections) all see the last commit.
            try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<32 { group.addTask { try await database.query("SELECT n FROM counter", [])[0].int("n") } }
                for try await value in group { #expect(value == 200) }
            }
        }
    }

    @Test func boundValuesComeBackUnchanged() async throws {
        try await Self.withFile { database in
            try await database.execute("CREATE TABLE kept (i INTEGER, d REAL, t TEXT, b INTEGER, at TEXT, n TEXT)")
            let texts = ["", "plain", "émoji 🎉 中文", "nul\u{0}inside", String(repeating: "long ", count: 2000)]
            let date = Date(timeIntervalSince1970: 1_796_115_600.123)
            for (index, text) in texts.enumerated() {
                try await database.execute(
                    "INSERT INTO kept VALUES ($1, $2, $3, $4, $5, $6)",
                    [.int(index == 0 ? .min : .max - Int64(index)), .double(-0.5), .text(text), .bool(index % 2 == 0), .date(date), .null]
                )
            }
            for (index, text) in texts.enumerated() {
                // Bound on the reader too: the text must match byte for byte, NUL included.
                let rows = try await database.query("SELECT i, d, t, b, at, n FROM kept WHERE t = $1", [.text(text)])
                #expect(rows.count == 1, "\(text.prefix(20).debugDescription)")
                guard let row = rows.first else { continue }
                #expect(try row.int("i") == (index == 0 ? .min : .max - Int64(index)))
                #expect(row["d"] == .double(-0.5))
                #expect(try row.string("t") == text)
                #expect(try row.bool("b") == (index % 2 == 0))
                #expect(try row.date("at") == date)
                #expect(row["n"] == .null)
            }
            let byDate = try await database.query("SELECT count(*) AS n FROM kept WHERE at = $1", [.date(date)])
            #expect(try byDate[0].int("n") == Int64(texts.count))
        }
    }

    @Test func moreStatementsThanTheCacheKeepsStillAnswer() async throws {
        try await Self.withFile { database in
            for round in 0..<2 {
                for number in 0..<(SQLiteHandle.statementLimit + 40) {
                    let rows = try await database.query("SELECT $1 + \(number) AS total", [.int(Int64(round))])
                    #expect(try rows[0].int("total") == Int64(number + round))
                }
            }
        }
    }

    @Test func aKeptStatementFollowsASchemaChange() async throws {
        try await Self.withFile { database in
            try await database.execute("CREATE TABLE growing (a INTEGER)")
            try await database.execute("INSERT INTO growing VALUES (1)")
            #expect(try await database.query("SELECT * FROM growing", [])[0].names == ["a"])
            try await database.execute("ALTER TABLE growing ADD COLUMN b TEXT DEFAULT 'new'")
            let row = try await database.query("SELECT * FROM growing", [])[0]
            #expect(row.names == ["a", "b"])
            #expect(try row.string("b") == "new")
            try await database.execute("DROP TABLE growing")
            await #expect(throws: (any Error).self) { try await database.query("SELECT * FROM growing", []) }
        }
    }

    @Test func aMissingTableOnAReaderSaysToMigrate() async throws {
        try await Self.withFile { database in
            await SchemaMissingTests.expectMigrateHint(database)
        }
    }

    @Test func theWriterIsSetUpForWAL() async throws {
        try await Self.withFile { (database: any SQLDatabase) async throws in
            // PRAGMAs go to the writer: these are its settings, which the benchmark figures depend on.
            #expect(try await database.query("PRAGMA journal_mode", [])[0].string("journal_mode") == "wal")
            #expect(try await database.query("PRAGMA temp_store", [])[0].int("temp_store") == 2)
            #expect(try await database.query("PRAGMA wal_autocheckpoint", [])[0].int("wal_autocheckpoint") == 8000)
            #expect(try await database.query("PRAGMA foreign_keys", [])[0].int("foreign_keys") == 1)
        }
    }

    @Test func onlyPlainSelectsCountAsReads() {
        #expect(SQLText.isPlainSelect("SELECT id FROM tasks"))
        #expect(SQLText.isPlainSelect("\n  select id\nFROM tasks"))
        #expect(SQLText.isPlainSelect("SELECT 'for' AS word, 'update' AS other"))
        #expect(!SQLText.isPlainSelect("SELECT id FROM tasks WHERE id = $1 FOR UPDATE"))
        #expect(!SQLText.isPlainSelect("SELECT id FROM tasks LIMIT 5 for update skip locked"))
        #expect(!SQLText.isPlainSelect("SELECT id FROM tasks FOR  FOR UPDATE"))
        #expect(!SQLText.isPlainSelect("UPDATE tasks SET title = $1 RETURNING id"))
        #expect(!SQLText.isPlainSelect("WITH x AS (SELECT 1) SELECT * FROM x"))
        #expect(!SQLText.isPlainSelect("PRAGMA data_version"))
        #expect(!SQLText.isPlainSelect("SEL"))
    }
}

/// A task's change event is written by hand; it must be what the encoder wrote for `{"task": task}`.
@Suite struct TaskEventDataTests {
    @Test func theEventDataIsWhatTheEncoderWrote() {
        let date = Date(timeIntervalSince1970: 1_796_115_600.123)
        for task in [
            TodoTask(id: 7, userID: "u", title: "quote \" and \\ and </script>", createdAt: date, updatedAt: date),
            TodoTask(
                id: 8, userID: "u", title: "t", description: "émoji 🎉", completed: true, priority: .high, tags: ["a", "b"],
                dueAt: date, recurrence: .weekly, completedAt: date, reminder: .before(minutes: 15), remindedAt: date,
                createdAt: date, updatedAt: date
            ),
        ] {
            #expect(WireJSON.text(TaskEventData(task: task)) == String(decoding: WireJSON.encodedByFoundation(["task": task]), as: UTF8.self))
        }
    }

    @Test func aTemplateWithTheIdFilledInIsTheTasksEventData() {
        let date = Date(timeIntervalSince1970: 1_796_115_600.123)
        let tricky = TodoTask(
            id: 0, userID: "\"id\":0", title: #"{"id":0,"task":{"id":0}}"#, description: "\"id\":0 🎉", tags: ["\"id\":0"],
            dueAt: date, reminder: .before(minutes: 5), createdAt: date, updatedAt: date
        )
        let template = TaskEventTemplate(tricky)
        for id: Int64 in [0, 1, 42, 9_007_199_254_740_993, .max] {
            var task = tricky
            task.id = id
            #expect(template.data(id: id) == WireJSON.text(TaskEventData(task: task)))
        }
    }
}
