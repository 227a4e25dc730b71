import Foundation
import TodoCore

extension SQLStore {
    static let taskColumns =
        "id, user_id, title, description, completed, priority, tags, due_at, recurrence, completed_at, remind_at, "
        + "remind_before_minutes, reminded_at, created_at, updated_at"

    public func createTask(_ task: NewTask, userID: String) async throws -> TodoTask {
        let stamp = now()
        return try await database.transaction { executor in
            let created = try await Self.insertTask(
                executor, userID: userID, title: task.title, description: task.description, priority: task.priority,
                tags: task.tags, dueAt: task.dueAt, recurrence: task.recurrence, reminder: task.reminder, stamp: stamp
            )
            try await Self.record(executor, "task.created", task: created, stamp: stamp)
            return created
        }
    }

    public func task(id: Int64, userID: String) async throws -> TodoTask {
        let rows = try await database.query(
            "SELECT \(Self.taskColumns) FROM tasks WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL", [.int(id), .text(userID)]
        )
        guard let row = rows.first else { throw TodoError.notFound(resource: "task", id: String(id)) }
        return try Self.task(from: row)
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

    public func deleteTask(id: Int64, userID: String) async throws -> TodoTask {
        let stamp = now()
        return try await database.transaction { executor in
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

    public func restoreTask(id: Int64, userID: String) async throws -> TodoTask {
        let stamp = now()
        return try await database.transaction { executor in
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

    public func purgeDeletedTasks(before date: Date) async throws -> Int {
        let rows = try await database.query("DELETE FROM tasks WHERE deleted_at IS NOT NULL AND deleted_at < $1 RETURNING id", [.date(date)])
        return rows.count
    }

    /// Reads the task under a row lock, applies the patch in Swift, writes the whole row back, and
    /// creates the next occurrence when a recurring task becomes completed: all in one transaction.
    ///
    /// A patch that changes nothing (completing a task twice, a form saved unchanged) is answered from a plain read:
    /// no row lock, no write, no event. One user's repeated clicks then never queue behind each other's commits.
    private func change(id: Int64, userID: String, patch: TaskPatch) async throws -> TaskCompletion {
        let stamp = now()
        let current = try await task(id: id, userID: userID)
        guard try Self.applying(patch, to: current, stamp: stamp).changes(current) else { return TaskCompletion(task: current) }
        return try await database.transaction { executor in
            let rows = try await executor.query(
                "SELECT \(Self.taskColumns) FROM tasks WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL\(executor.rowLock)",
                [.int(id), .text(userID)]
            )
            guard let row = rows.first else { throw TodoError.notFound(resource: "task", id: String(id)) }
            let before = try Self.task(from: row)
            let task = try Self.applying(patch, to: before, stamp: stamp).task
            let updated = try await executor.query(
                """
                UPDATE tasks SET title = $1, description = $2, completed = $3, priority = $4, tags = $5, due_at = $6,
                recurrence = $7, completed_at = $8, updated_at = $9, remind_at = $10, remind_before_minutes = $11,
                reminder_at = $12, reminded_at = $13 WHERE id = $14 AND user_id = $15 RETURNING \(Self.taskColumns)
                """,
                [
                    .text(task.title), .text(task.description), .bool(task.completed), .text(task.priority.rawValue),
                    .json(Self.encodeTags(task.tags)), .optional(task.dueAt, SQLValue.date),
                    .optional(task.recurrence) { .text($0.rawValue) }, .optional(task.completedAt, SQLValue.date),
                    .date(stamp), .optional(task.remindAt, SQLValue.date), .optional(task.remindBeforeMinutes) { .int(Int64($0)) },
                    .optional(task.reminderAt, SQLValue.date), .optional(task.remindedAt, SQLValue.date), .int(id), .text(userID),
                ]
            )
            let result = try Self.task(from: updated[0])
            let completedNow = task.completed && !before.completed
            try await Self.record(executor, completedNow ? "task.completed" : "task.updated", task: result, stamp: stamp)
            guard completedNow, let recurrence = task.recurrence else {
                return TaskCompletion(task: result)
            }
            let nextDue = recurrence.next(after: task.dueAt ?? stamp)
            let next = try await Self.insertTask(
                executor, userID: userID, title: task.title, description: task.description, priority: task.priority,
                tags: task.tags, dueAt: nextDue, recurrence: recurrence,
                reminder: task.reminder?.next(recurrence: recurrence, dueAt: task.dueAt, nextDueAt: nextDue), stamp: stamp
            )
            try await Self.record(executor, "task.created", task: next, stamp: stamp)
            return TaskCompletion(task: result, nextOccurrence: next)
        }
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

        func changes(_ before: TodoTask) -> Bool {
            var unstamped = task
            unstamped.updatedAt = before.updatedAt
            return unstamped != before
        }
    }

    /// The one INSERT of a task, for new tasks and for the next occurrence of a recurring one.
    static func insertTask(
        _ executor: any SQLExecutor, userID: String, title: String, description: String, priority: Priority,
        tags: [String], dueAt: Date?, recurrence: Recurrence?, reminder: Reminder?, stamp: Date
    ) async throws -> TodoTask {
        // The reminder's columns, as a task with it would have them.
        let fields = TodoTask(id: 0, userID: userID, title: title, dueAt: dueAt, reminder: reminder, createdAt: stamp, updatedAt: stamp)
        let rows = try await executor.query(
            """
            INSERT INTO tasks (user_id, title, description, completed, priority, tags, due_at, recurrence, created_at, updated_at,
            remind_at, remind_before_minutes, reminder_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12) RETURNING \(taskColumns)
            """,
            [
                .text(userID), .text(title), .text(description), .bool(false), .text(priority.rawValue),
                .json(encodeTags(tags)), .optional(dueAt, SQLValue.date), .optional(recurrence) { .text($0.rawValue) },
                .date(stamp), .optional(fields.remindAt, SQLValue.date), .optional(fields.remindBeforeMinutes) { .int(Int64($0)) },
                .optional(fields.reminderAt, SQLValue.date),
            ]
        )
        return try task(from: rows[0])
    }

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
