import Foundation
import TodoCore

extension SQLStore {
    static let taskColumns =
        "id, user_id, title, description, completed, priority, tags, due_at, recurrence, completed_at, remind_at, "
        + "remind_before_minutes, reminded_at, created_at, updated_at"

    public func createTask(_ task: NewTask, userID: String) async throws -> TodoTask {
        let insert = Self.insertTask(
            userID: userID, title: task.title, description: task.description, priority: task.priority, tags: task.tags,
            dueAt: task.dueAt, recurrence: task.recurrence, reminder: task.reminder, stamp: taskStamp()
        )
        return try await taskInserts.submit(insert, insertTasks)
    }

    public func task(id: Int64, userID: String) async throws -> TodoTask {
        let rows = try await database.query(
            "SELECT \(Self.taskColumns) FROM tasks WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL", [.int(id), .text(userID)]
        )
        guard let row = rows.first else { throw TodoError.notFound(resource: "task", id: String(id)) }
        return try Self.task(from: row)
    }

    public func taskChangeStamp(userID: String) async -> ChangeStamp? {
        database.changes.stamp(scope: userID)
    }

    /// Counts a write to the user's tasks once it is over, applied or not (a failed one may have been applied):
    /// a page read before it is not served again here, without waiting for the database's announcement.
    func countingChange<T>(of userID: String, _ write: () async throws -> T) async rethrows -> T {
        defer { database.changes.changed(scope: userID) }
        return try await write()
    }

    public func tasks(matching query: TaskQuery, userID: String) async throws -> [TodoTask] {
        try await taskPage(matching: query, userID: userID).tasks
    }

    public func taskPage(matching query: TaskQuery, userID: String) async throws -> TaskPage {
        var conditions = ["user_id = $1", "deleted_at IS NULL"]
        var binds: [SQLValue] = [.text(userID)]
        func bind(_ value: SQLValue) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        switch query.status {
        case .all: break
        case .pending: conditions.append("completed = \(bind(.bool(false)))")
        case .completed: conditions.append("completed = \(bind(.bool(true)))")
        }
        if let priority = query.priority { conditions.append("priority = \(bind(.text(priority.rawValue)))") }
        if let tag = query.tag {
            conditions.append(
                database.dialect == .postgres
                    ? "tags @> \(bind(.json(Self.encodeTags([tag]))))"
                    : "EXISTS (SELECT 1 FROM json_each(tasks.tags) WHERE json_each.value = \(bind(.text(tag))))"
            )
        }
        if let text = query.text, !text.isEmpty {
            let pattern = bind(.text("%" + Self.escapeLike(text) + "%"))
            let like = database.caseInsensitiveLike
            conditions.append("(title \(like) \(pattern) ESCAPE '\\' OR description \(like) \(pattern) ESCAPE '\\')")
        }
        if let before = query.dueBefore { conditions.append("due_at < \(bind(.date(before)))") }
        if let after = query.dueAfter { conditions.append("due_at >= \(bind(.date(after)))") }
        let key = Self.sortKey(query.sort)
        let direction = query.order == .asc ? "ASC" : "DESC"
        if let cursor = query.after {
            conditions.append(try Self.keyset(cursor, key: key, bind: bind))
        }
        let nulls = query.sort == .due ? " NULLS LAST" : ""
        let sql = """
            SELECT \(Self.taskColumns) FROM tasks WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(key) \(direction)\(nulls), id \(direction) LIMIT \(bind(.int(Int64(query.limit + 1))))
            """
        // One extra row tells whether another page follows, without a COUNT.
        var tasks = try await database.query(sql, binds).map(Self.task(from:))
        guard tasks.count > query.limit else { return TaskPage(tasks: tasks, nextCursor: nil) }
        tasks.removeLast()
        return TaskPage(tasks: tasks, nextCursor: TaskCursor(after: tasks[tasks.count - 1], sort: query.sort, order: query.order))
    }

    /// The SQL expression a listing is ordered by.
    static func sortKey(_ sort: TaskQuery.Sort) -> String {
        switch sort {
        case .created: "created_at"
        case .updated: "updated_at"
        case .title: "lower(title)"
        case .due: "due_at"
        case .priority: "CASE priority WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END"
        }
    }

    /// Rows strictly after the cursor in (key, id) order; missing due dates sort last in both directions.
    static func keyset(_ cursor: TaskCursor, key: String, bind: (SQLValue) -> String) throws -> String {
        let op = cursor.order == .asc ? ">" : "<"
        let id = bind(.int(cursor.id))
        guard let raw = cursor.key else {
            guard cursor.sort == .due else { throw TodoError.validation(field: "cursor", message: "cursor is not one this API returned") }
            return "(due_at IS NULL AND id \(op) \(id))"
        }
        let value: String
        switch cursor.sort {
        case .created, .updated, .due:
            guard let date = Timestamp.parse(raw) else {
                throw TodoError.validation(field: "cursor", message: "cursor is not one this API returned")
            }
            value = bind(.date(date))
        case .title:
            value = "lower(\(bind(.text(raw))))"
        case .priority:
            guard let rank = Int64(raw) else { throw TodoError.validation(field: "cursor", message: "cursor is not one this API returned") }
            value = bind(.int(rank))
        }
        let after = "(\(key) \(op) \(value) OR (\(key) = \(value) AND id \(op) \(id)))"
        return cursor.sort == .due ? "(\(after) OR due_at IS NULL)" : after
    }

    public func updateTask(id: Int64, with patch: TaskPatch, userID: String) async throws -> TodoTask {
        try await change(id: id, userID: userID, patch: patch).task
    }

    public func setTaskCompleted(id: Int64, completed: Bool, userID: String) async throws -> TaskCompletion {
        try await change(id: id, userID: userID, patch: try TaskPatch(completed: completed))
    }

    /// A toggle that arrives while another toggle of the same task here is still reading joins it: it would read the
    /// same state, aim for the same state, and find it reached, so it answers with that one's outcome (what a racing
    /// toggle always did, without its round trips). A double click is one write. A toggle that failed may still have
    /// been applied (a connection lost after the statement was sent), so the ones that joined it fail with it rather
    /// than toggle again; a client retries safely with `setTaskCompleted`'s explicit state.
    public func toggleTaskCompleted(id: Int64, userID: String) async throws -> TaskCompletion {
        let (completion, joined) = try await runningToggles.run(TaskKey(userID: userID, id: id)) { stopJoining in
            let current = try await task(id: id, userID: userID)
            stopJoining()
            return try await change(id: id, userID: userID, patch: try TaskPatch(completed: !current.completed), read: current)
        }
        return joined ? TaskCompletion(task: completion.task) : completion
    }

    /// One user's task.
    struct TaskKey: Hashable, Sendable {
        let userID: String
        let id: Int64
    }

    public func deleteTask(id: Int64, userID: String) async throws -> TodoTask {
        let stamp = taskStamp()
        return try await countingChange(of: userID) {
            try await database.transaction { executor in
                // Kept for undo until the purge (`purgeDeletedTasks`); every read skips it from now on.
                let rows = try await executor.query(
                    "UPDATE tasks SET deleted_at = $1 WHERE id = $2 AND user_id = $3 AND deleted_at IS NULL RETURNING \(Self.taskColumns)",
                    [.date(stamp), .int(id), .text(userID)]
                )
                guard let row = rows.first else { throw TodoError.notFound(resource: "task", id: String(id)) }
                let deleted = try Self.task(from: row)
                try await Self.record(executor, "task.deleted", task: deleted, stamp: stamp)
                return deleted
            }
        }
    }

    public func restoreTask(id: Int64, userID: String) async throws -> TodoTask {
        let stamp = taskStamp()
        return try await countingChange(of: userID) {
            try await database.transaction { executor in
                let rows = try await executor.query(
                    """
                    UPDATE tasks SET deleted_at = NULL, updated_at = $1
                    WHERE id = $2 AND user_id = $3 AND deleted_at IS NOT NULL AND deleted_at >= $4 RETURNING \(Self.taskColumns)
                    """,
                    [.date(stamp), .int(id), .text(userID), .date(stamp.addingTimeInterval(-TaskRules.restorableFor))]
                )
                guard let row = rows.first else { throw TodoError.notFound(resource: "deleted task", id: String(id)) }
                let restored = try Self.task(from: row)
                try await Self.record(executor, "task.restored", task: restored, stamp: stamp)
                return restored
            }
        }
    }

    public func purgeDeletedTasks(before date: Date) async throws -> Int {
        let rows = try await database.query("DELETE FROM tasks WHERE deleted_at IS NOT NULL AND deleted_at < $1 RETURNING id", [.date(date)])
        return rows.count
    }

    /// Applies the patch in Swift to the task as read and writes the whole row back with its change event.
    ///
    /// A patch that changes nothing (completing a task twice, a form saved unchanged) is answered from the read: no
    /// write, no event. On PostgreSQL the write is one statement that only applies while the row is still exactly as
    /// read (`recorded` + `rewriteTask(_:unlessChangedFrom:)`): one round trip and no row lock held between round trips, so one
    /// user's concurrent changes do not queue behind each other's transactions. A row changed meanwhile is read
    /// again, a few times, then the change runs under a row lock (`lockedChange`), as it always does on SQLite (whose
    /// write transaction excludes every other writer anyway) and when a recurring task's next occurrence is created.
    private func change(id: Int64, userID: String, patch: TaskPatch, read: TodoTask? = nil) async throws -> TaskCompletion {
        let stamp = taskStamp()
        if database.dialect == .postgres {
            var read = read
            for _ in 0..<3 {
                let before = if let read { read } else { try await task(id: id, userID: userID) }
                read = nil
                let after = try Self.applying(patch, to: before, stamp: stamp)
                guard after.changes(before) else { return TaskCompletion(task: before) }
                if after.createsNextOccurrence(from: before) { break }
                if let written = try await recorded(Self.rewriteTask(after.task, unlessChangedFrom: before), kind: after.eventKind(from: before)) {
                    return TaskCompletion(task: written)
                }
            }
        }
        return try await lockedChange(id: id, userID: userID, patch: patch, stamp: stamp)
    }

    /// `change` under a row lock, in one transaction with the next occurrence of a recurring task it completes.
    private func lockedChange(id: Int64, userID: String, patch: TaskPatch, stamp: Date) async throws -> TaskCompletion {
        try await countingChange(of: userID) {
            try await lockedChangeTransaction(id: id, userID: userID, patch: patch, stamp: stamp)
        }
    }

    private func lockedChangeTransaction(id: Int64, userID: String, patch: TaskPatch, stamp: Date) async throws -> TaskCompletion {
        try await database.transaction { executor in
            let rows = try await executor.query(
                "SELECT \(Self.taskColumns) FROM tasks WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL\(executor.rowLock)",
                [.int(id), .text(userID)]
            )
            guard let row = rows.first else { throw TodoError.notFound(resource: "task", id: String(id)) }
            let before = try Self.task(from: row)
            let after = try Self.applying(patch, to: before, stamp: stamp)
            guard after.changes(before) else { return TaskCompletion(task: before) }
            let task = after.task
            let update = Self.rewriteTask(task)
            let result = try Self.task(from: try await executor.query(update.sql, update.binds)[0])
            try await Self.record(executor, after.eventKind(from: before), task: result, stamp: stamp)
            guard after.createsNextOccurrence(from: before), let recurrence = task.recurrence else {
                return TaskCompletion(task: result)
            }
            let nextDue = recurrence.next(after: task.dueAt ?? stamp)
            let insert = Self.insertTask(
                userID: userID, title: task.title, description: task.description, priority: task.priority,
                tags: task.tags, dueAt: nextDue, recurrence: recurrence,
                reminder: task.reminder?.next(recurrence: recurrence, dueAt: task.dueAt, nextDueAt: nextDue), stamp: stamp
            )
            let next = try Self.task(from: try await executor.query(insert.sql, insert.binds)[0])
            try await Self.record(executor, "task.created", task: next, stamp: stamp)
            return TaskCompletion(task: result, nextOccurrence: next)
        }
    }

    /// Task times are kept to the millisecond (`Timestamp.wholeMilliseconds`).
    func taskStamp() -> Date {
        Timestamp.wholeMilliseconds(now())
    }

    /// One task's INSERT or UPDATE `… RETURNING taskColumns`, and the task it writes as computed in Swift (id 0 for a
    /// new one).
    struct TaskWrite {
        let sql: String
        let binds: [SQLValue]
        let task: TodoTask
    }

    /// Runs `write` and records its change event, atomically; nil when it matched no row. On PostgreSQL that is one
    /// statement (a data-modifying CTE: one round trip, nothing held open between round trips); SQLite has no
    /// data-modifying CTEs, so there the two statements share a transaction (in-process: no round trips to save).
    /// On PostgreSQL the event's data is the task as computed in Swift with the id the database assigned; task times
    /// are whole milliseconds, so that is byte for byte the row's own JSON.
    private func recorded(_ write: TaskWrite, kind: String) async throws -> TodoTask? {
        try await countingChange(of: write.task.userID) { try await recordedWrite(write, kind: kind) }
    }

    func recordedWrite(_ write: TaskWrite, kind: String) async throws -> TodoTask? {
        let stamp = write.task.updatedAt
        guard database.dialect == .postgres else {
            return try await database.transaction { executor in
                guard let row = try await executor.query(write.sql, write.binds).first else { return nil }
                let task = try Self.task(from: row)
                try await Self.record(executor, kind, task: task, stamp: stamp)
                return task
            }
        }
        let event = TaskEventTemplate(write.task)
        let next = write.binds.count
        let rows = try await database.query(
            """
            WITH task AS (\(write.sql)), event AS (
            INSERT INTO events (user_id, kind, data, created_at)
            SELECT user_id, $\(next + 1), $\(next + 2) || id::text || $\(next + 3), $\(next + 4) FROM task)
            SELECT \(Self.taskColumns) FROM task
            """,
            write.binds + [.text(kind), .text(event.prefix), .text(event.suffix), .date(stamp)]
        )
        return try rows.first.map(Self.task(from:))
    }

    /// Writes `after` over its row. With `before`, only while the row still holds `before` in every column, so
    /// nothing changed meanwhile (by another replica, or a reminder being marked sent) is overwritten with what was
    /// read before it; under a row lock there is nothing to compare.
    static func rewriteTask(_ after: TodoTask, unlessChangedFrom before: TodoTask? = nil) -> TaskWrite {
        let count = taskWritableColumns.count
        let set = taskWritableColumns.enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: ", ")
        var binds = columnValues(after) + [.int(after.id), .text(after.userID)]
        var sql = "UPDATE tasks SET \(set) WHERE id = $\(count + 1) AND user_id = $\(count + 2) AND deleted_at IS NULL"
        if let before {
            sql += taskWritableColumns.enumerated().map { " AND \($1) IS NOT DISTINCT FROM $\(count + 3 + $0)" }.joined()
            binds += columnValues(before)
        }
        return TaskWrite(sql: sql + " RETURNING \(taskColumns)", binds: binds, task: after)
    }

    /// Every column a change may write, in `columnValues` order.
    static let taskWritableColumns = [
        "title", "description", "completed", "priority", "tags", "due_at", "recurrence", "completed_at", "updated_at",
        "remind_at", "remind_before_minutes", "reminder_at", "reminded_at",
    ]

    static func columnValues(_ task: TodoTask) -> [SQLValue] {
        [
            .text(task.title), .text(task.description), .bool(task.completed), .text(task.priority.rawValue),
            .json(encodeTags(task.tags)), .optional(task.dueAt, SQLValue.date), .optional(task.recurrence) { .text($0.rawValue) },
            .optional(task.completedAt, SQLValue.date), .date(task.updatedAt), .optional(task.remindAt, SQLValue.date),
            .optional(task.remindBeforeMinutes) { .int(Int64($0)) }, .optional(task.reminderAt, SQLValue.date),
            .optional(task.remindedAt, SQLValue.date),
        ]
    }

    /// The task as `patch` leaves it, stamped `stamp`; `changes(_:)` says whether that differs from `before` in more
    /// than the stamp.
    static func applying(_ patch: TaskPatch, to before: TodoTask, stamp: Date) throws -> PatchedTask {
        var task = before
        if let title = patch.title { task.title = title }
        if let description = patch.description { task.description = description }
        if let priority = patch.priority { task.priority = priority }
        if let tags = patch.tags { task.tags = tags }
        if let dueAt = patch.dueAt { task.dueAt = dueAt }
        if let recurrence = patch.recurrence { task.recurrence = recurrence }
        if let completed = patch.completed, completed != before.completed {
            task.completed = completed
            task.completedAt = completed ? stamp : nil
        }
        if let reminder = patch.reminder { task.reminder = try TaskRules.reminder(reminder, dueAt: task.dueAt) }
        task.reminderAt = task.reminder?.time(dueAt: task.dueAt)
        // A reminder that now falls at another moment is due again.
        if task.reminderAt != before.reminderAt { task.remindedAt = nil }
        task.updatedAt = stamp
        return PatchedTask(task: task)
    }

    /// A task with a patch applied.
    struct PatchedTask {
        let task: TodoTask

        /// Whether it differs from `before` in more than its stamp. Text is compared byte for byte: Swift's `==` takes
        /// canonically equivalent strings (é as one scalar or two) as equal, and a change of form is still a change.
        func changes(_ before: TodoTask) -> Bool {
            var unstamped = task
            unstamped.updatedAt = before.updatedAt
            return unstamped != before || !task.title.utf8.elementsEqual(before.title.utf8)
                || !task.description.utf8.elementsEqual(before.description.utf8)
                || !task.tags.elementsEqual(before.tags) { $0.utf8.elementsEqual($1.utf8) }
        }

        func eventKind(from before: TodoTask) -> String {
            task.completed && !before.completed ? "task.completed" : "task.updated"
        }

        /// Completing a recurring task schedules its next occurrence.
        func createsNextOccurrence(from before: TodoTask) -> Bool {
            task.completed && !before.completed && task.recurrence != nil
        }
    }

    /// The one INSERT of a task, for new tasks and for the next occurrence of a recurring one.
    static func insertTask(
        userID: String, title: String, description: String, priority: Priority, tags: [String], dueAt: Date?,
        recurrence: Recurrence?, reminder: Reminder?, stamp: Date
    ) -> TaskWrite {
        let task = TodoTask(
            id: 0, userID: userID, title: title, description: description, priority: priority, tags: tags, dueAt: dueAt,
            recurrence: recurrence, reminder: reminder, createdAt: stamp, updatedAt: stamp
        )
        return TaskWrite(
            sql: """
                INSERT INTO tasks (\(insertedColumns.map(\.name).joined(separator: ", ")))
                VALUES (\(insertedColumns.indices.map { "$\($0 + 1)" }.joined(separator: ", "))) RETURNING \(taskColumns)
                """,
            binds: [
                .text(userID), .text(title), .text(description), .bool(false), .text(priority.rawValue),
                .json(encodeTags(tags)), .optional(dueAt, SQLValue.date), .optional(recurrence) { .text($0.rawValue) },
                .date(stamp), .date(stamp), .optional(task.remindAt, SQLValue.date), .optional(task.remindBeforeMinutes) { .int(Int64($0)) },
                .optional(task.reminderAt, SQLValue.date),
            ],
            task: task
        )
    }

    /// The columns `insertTask` writes, in bind order, with their PostgreSQL types (a batch's VALUES rows name them).
    static let insertedColumns: [(name: String, type: String)] = [
        ("user_id", "text"), ("title", "text"), ("description", "text"), ("completed", "boolean"), ("priority", "text"),
        ("tags", "jsonb"), ("due_at", "timestamptz"), ("recurrence", "text"), ("created_at", "timestamptz"),
        ("updated_at", "timestamptz"), ("remind_at", "timestamptz"), ("remind_before_minutes", "integer"),
        ("reminder_at", "timestamptz"),
    ]

    /// A task from a row of `taskColumns`; each column is looked for at its place in that list first.
    static func task(from row: SQLRow) throws -> TodoTask {
        TodoTask(
            id: try row.int("id", at: 0), userID: try row.string("user_id", at: 1), title: try row.string("title", at: 2),
            description: try row.string("description", at: 3), completed: try row.bool("completed", at: 4),
            priority: Priority(rawValue: try row.string("priority", at: 5)) ?? .medium,
            tags: decodeTags(row.optionalString("tags", at: 6)), dueAt: row.optionalDate("due_at", at: 7),
            recurrence: row.optionalString("recurrence", at: 8).flatMap(Recurrence.init(rawValue:)),
            completedAt: row.optionalDate("completed_at", at: 9), reminder: reminder(from: row),
            remindedAt: row.optionalDate("reminded_at", at: 12),
            createdAt: try row.date("created_at", at: 13),
            updatedAt: try row.date("updated_at", at: 14)
        )
    }

    static func reminder(from row: SQLRow) -> Reminder? {
        if let date = row.optionalDate("remind_at", at: 10) { return .at(date) }
        if let minutes = try? row.int("remind_before_minutes", at: 11) { return .before(minutes: Int(minutes)) }
        return nil
    }

    static func encodeTags(_ tags: [String]) -> String {
        // Tags are validated strings; JSONSerialization escapes them correctly for both databases.
        let data = (try? JSONSerialization.data(withJSONObject: tags)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeTags(_ json: String?) -> [String] {
        // Most tasks have none: skip the parser for them.
        guard let json, json != "[]", let data = json.data(using: .utf8),
              let tags = try? JSONSerialization.jsonObject(with: data) as? [String]
        else { return [] }
        return tags
    }

    static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
