import Foundation
import TodoCore

extension SQLStore {
    /// How new tasks share writes: on PostgreSQL a quarter of the pool's connections at most (2 of the default
    /// 10; on 2 cores one or two busy backends with big batches beat many with small ones, and the rest of the pool
    /// stays free for reads), one at a time on SQLite (one writer anyway); never more than 64 in a batch. A task
    /// that waited longer than one database deadline for its turn is not sent at all.
    static func taskInsertBatcher(for database: any SQLDatabase) -> WriteBatcher<TaskWrite, TodoTask> {
        WriteBatcher(
            lanes: database.dialect == .postgres ? max(1, database.poolUsage.size / 4) : 1, largest: 64,
            patience: database.timeout,
            expired: TodoError.unavailable(
                "\(database.dialect.productName) is too slow to take new tasks right now; this one was not saved. Try again."
            )
        )
    }

    /// Writes new tasks with their `task.created` events, many in one statement (PostgreSQL) or one transaction
    /// (SQLite). A batch the database refuses for its data wrote nothing (a row broke a constraint), so its halves
    /// are tried, and theirs, down to the refused rows alone: every write gets its own answer, no one's write fails
    /// for another's, and one bad row costs a few statements, not one per task. An outage, a lost connection or a
    /// deadline fails the rest of the batch, as it would have failed each.
    func insertTasks(_ inserts: [TaskWrite]) async -> [Result<TodoTask, any Error>] {
        defer { for userID in Set(inserts.map(\.task.userID)) { database.changes.changed(scope: userID) } }
        return await insertSplittingRefusals(inserts[...])
    }

    private func insertSplittingRefusals(_ inserts: ArraySlice<TaskWrite>) async -> [Result<TodoTask, any Error>] {
        do {
            return try await insertedTogether(Array(inserts)).map { .success($0) }
        } catch where inserts.count > 1 && SQLError.isRefusal(error) {
            let middle = inserts.startIndex + inserts.count / 2
            let first = await insertSplittingRefusals(inserts[..<middle])
            // Past an outage the other half would wait out its own deadline: it shares the failure instead.
            for case .failure(let error) in first where !SQLError.isRefusal(error) {
                return first + inserts[middle...].map { _ in .failure(error) }
            }
            return first + (await insertSplittingRefusals(inserts[middle...]))
        } catch {
            return inserts.map { _ in .failure(error) }
        }
    }

    /// The tasks as written, in `inserts` order, all or none.
    private func insertedTogether(_ inserts: [TaskWrite]) async throws -> [TodoTask] {
        guard database.dialect == .postgres else {
            // In-process: one transaction is what saves (one commit), not fewer statements.
            return try await database.transaction { executor in
                var tasks: [TodoTask] = []
                for insert in inserts {
                    let task = try Self.task(from: try await executor.query(insert.sql, insert.binds)[0])
                    try await Self.record(executor, "task.created", task: task, stamp: insert.task.updatedAt)
                    tasks.append(task)
                }
                return tasks
            }
        }
        // An INSERT always returns its row.
        if inserts.count == 1 { return [try await recordedWrite(inserts[0], kind: "task.created")!] }
        let (sql, binds) = Self.batchInsert(inserts)
        let tasks = try await database.query(sql, binds).map(Self.task(from:))
        guard tasks.count == inserts.count else {
            throw TodoError.unavailable("a batch of new tasks was not written whole; reload before trying again")
        }
        return tasks
    }

    /// One statement for many new tasks and their events, on PostgreSQL. Ids are handed out in the order the rows
    /// are inserted (`ORDER BY ord`), so numbering the returned rows by id finds each one's input again: which event
    /// text belongs to which id, and which answer to which caller. The statement checks that pairing itself, every
    /// column against its input, before anything of it can commit: a pairing that does not hold (a trigger that
    /// rewrites rows or ids, a sequence reset) refuses the whole statement, and the tasks are then written one by
    /// one. Twins (every column the same) may swap ids, which changes nothing anyone can see.
    static func batchInsert(_ inserts: [TaskWrite]) -> (sql: String, binds: [SQLValue]) {
        let names = insertedColumns.map(\.name)
        let columns = names.joined(separator: ", ")
        var binds: [SQLValue] = [.text("task.created")]
        var rows: [String] = []
        for (ord, insert) in inserts.enumerated() {
            let event = TaskEventTemplate(insert.task)
            let values = insert.binds + [.text(event.prefix), .text(event.suffix)]
            let types = insertedColumns.map(\.type) + ["text", "text"]
            let placeholders = zip(values.indices, types).map { "$\(binds.count + 1 + $0)::\($1)" }
            rows.append("(\(ord), \(placeholders.joined(separator: ", ")))")
            binds += values
        }
        func qualified(_ table: String) -> String { names.map { "\(table).\($0)" }.joined(separator: ", ") }
        let returned = taskColumns.split(separator: ", ").dropFirst().map { "numbered.\($0)" }.joined(separator: ", ")
        let sql = """
            WITH input (ord, \(columns), event_prefix, event_suffix) AS (VALUES \(rows.joined(separator: ", "))),
            task AS (INSERT INTO tasks (\(columns)) SELECT \(columns) FROM input ORDER BY ord RETURNING \(taskColumns), reminder_at),
            numbered AS (SELECT row_number() OVER (ORDER BY id) - 1 AS ord, * FROM task),
            event AS (
            INSERT INTO events (user_id, kind, data, created_at)
            SELECT numbered.user_id, $1, input.event_prefix || numbered.id::text || input.event_suffix, numbered.created_at
            FROM numbered JOIN input USING (ord) ORDER BY ord)
            SELECT CASE WHEN (\(qualified("numbered"))) IS DISTINCT FROM (\(qualified("input")))
            THEN CAST('new tasks came back out of order at id ' || numbered.id AS bigint) ELSE numbered.id END AS id, \(returned)
            FROM numbered JOIN input USING (ord) ORDER BY ord
            """
        return (sql, binds)
    }
}
