import Foundation

/// The original spec's five task tools, extended with our task fields, and the undo of a delete.
enum TaskTool: String, CaseIterable, Sendable {
    case addTask = "add_task"
    case listTasks = "list_tasks"
    case completeTask = "complete_task"
    case deleteTask = "delete_task"
    case updateTask = "update_task"
    case restoreTask = "restore_task"

    static let taskID: JSONValue = ["type": "integer", "description": "The task's id, as list_tasks shows it."]
    static let fields: [String: JSONValue] = [
        "title": ["type": "string", "minLength": 1, "maxLength": 200, "description": "Short title of the task."],
        "description": ["type": "string", "maxLength": 1000, "description": "Optional details."],
        "priority": ["type": "string", "enum": ["low", "medium", "high"]],
        "tags": ["type": "array", "items": ["type": "string", "maxLength": 32], "maxItems": 10],
        "due_at": [
            "type": "string", "format": "date-time",
            "description": "Due date-time in ISO 8601 with a time zone, e.g. 2026-12-01T09:00:00+01:00.",
        ],
        "recurrence": ["type": "string", "enum": ["daily", "weekly", "monthly"], "description": "Repeat after completion."],
        "remind_at": [
            "type": "string", "format": "date-time", "description": "Remind the user at this ISO 8601 date-time (with a time zone).",
        ],
        "remind_before_minutes": [
            "type": "integer", "minimum": 1, "maximum": 40320, "description": "Remind the user this many minutes before due_at.",
        ],
    ]

    var definition: ToolDefinition {
        switch self {
        case .addTask:
            return ToolDefinition(
                name: rawValue,
                description: "Create a task for the user. Returns its task_id. Confirm to the user what was added.",
                inputSchema: ["type": "object", "properties": .object(Self.fields), "required": ["title"]]
            )
        case .listTasks:
            return ToolDefinition(
                name: rawValue,
                description: "List the user's tasks, optionally filtered. Use it to find a task's id before changing it; never guess ids.",
                inputSchema: [
                    "type": "object",
                    "properties": [
                        "status": ["type": "string", "enum": ["all", "pending", "completed"], "description": "Default: all."],
                        "priority": ["type": "string", "enum": ["low", "medium", "high"]],
                        "tag": ["type": "string"],
                        "query": ["type": "string", "description": "Words to look for in title and description."],
                        "due_before": ["type": "string", "format": "date-time"],
                        "due_after": ["type": "string", "format": "date-time"],
                        "sort": ["type": "string", "enum": ["created", "updated", "title", "due", "priority"]],
                        "limit": ["type": "integer", "minimum": 1, "maximum": 200, "description": "Default: 50."],
                    ],
                ],
                readOnly: true
            )
        case .completeTask:
            return ToolDefinition(
                name: rawValue, description: "Mark a task as completed. A recurring task gets its next occurrence.",
                inputSchema: ["type": "object", "properties": ["task_id": Self.taskID], "required": ["task_id"]]
            )
        case .deleteTask:
            return ToolDefinition(
                name: rawValue,
                description: "Delete a task. It can be restored with restore_task for 7 days. Deleting needs the user's confirmation "
                    + "unless they asked for exactly this task in their latest message.",
                inputSchema: [
                    "type": "object",
                    "properties": [
                        "task_id": Self.taskID,
                        "confirm": ["type": "boolean", "description": "true once the user has confirmed deleting this task."],
                    ],
                    "required": ["task_id"],
                ],
                destructive: true
            )
        case .restoreTask:
            return ToolDefinition(
                name: rawValue,
                description: "Restore a task deleted in the last 7 days, with its id and every field: the undo of delete_task.",
                inputSchema: ["type": "object", "properties": ["task_id": Self.taskID], "required": ["task_id"]]
            )
        case .updateTask:
            var properties = Self.fields
            properties["task_id"] = Self.taskID
            properties["due_at"] = [
                "type": "string", "description": "Due date-time in ISO 8601 with a time zone; an empty string removes the due date.",
            ]
            properties["recurrence"] = [
                "type": "string", "enum": ["daily", "weekly", "monthly", ""], "description": "Repeat after completion; an empty string stops it.",
            ]
            properties["completed"] = ["type": "boolean", "description": "false reopens a completed task; true completes it, like complete_task."]
            properties["remind_at"] = [
                "type": "string", "description": "Remind at this ISO 8601 date-time with a time zone; an empty string removes the reminder.",
            ]
            properties["remind_before_minutes"] = [
                "type": "integer", "minimum": 0, "maximum": 40320, "description": "Remind this many minutes before due_at; 0 removes the reminder.",
            ]
            return ToolDefinition(
                name: rawValue,
                description: "Change a task's title, description, priority, tags, due date, recurrence or reminder, or reopen it (completed: false).",
                inputSchema: ["type": "object", "properties": .object(properties), "required": ["task_id"]]
            )
        }
    }

    func run(_ arguments: ToolArguments, store: any TaskStore, userID: String, timeZone: TimeZone?) async throws -> JSONValue {
        switch self {
        case .addTask:
            let task = try await store.createTask(
                try NewTask(
                    title: try arguments.requiredString("title"), description: try arguments.string("description") ?? "",
                    priority: try arguments.string("priority").map(TaskRules.priority) ?? .medium,
                    tags: try arguments.strings("tags") ?? [], dueAt: try arguments.string("due_at").map(TaskRules.dueAt),
                    recurrence: try arguments.string("recurrence").map(TaskRules.recurrence), reminder: try Self.reminder(arguments) ?? nil
                ),
                userID: userID
            )
            return Self.outcome(task, "created")
        case .listTasks:
            let query = try TaskQuery(
                status: try Self.choice(arguments, "status", TaskQuery.Status.self) ?? .all,
                priority: try arguments.string("priority").map(TaskRules.priority), tag: try arguments.string("tag"),
                text: try arguments.string("query"), dueBefore: try arguments.string("due_before").map(TaskRules.dueAt),
                dueAfter: try arguments.string("due_after").map(TaskRules.dueAt),
                sort: try Self.choice(arguments, "sort", TaskQuery.Sort.self) ?? .created,
                limit: Int(try arguments.integer("limit") ?? Int64(TaskQuery.defaultLimit))
            )
            return .array(try await store.tasks(matching: query, userID: userID).map { $0.toolJSON(timeZone) })
        case .completeTask:
            let completion = try await store.setTaskCompleted(id: try arguments.requiredInteger("task_id"), completed: true, userID: userID)
            var outcome = Self.outcome(completion.task, "completed")
            if let next = completion.nextOccurrence, case .object(var object) = outcome {
                object["next_task_id"] = .int(next.id)
                object["next_due_at"] = next.dueAt.map { .string(TodoTask.toolDate($0, timeZone)) } ?? .null
                outcome = .object(object)
            }
            return outcome
        case .deleteTask:
            return Self.outcome(try await store.deleteTask(id: try arguments.requiredInteger("task_id"), userID: userID), "deleted")
        case .restoreTask:
            return Self.outcome(try await store.restoreTask(id: try arguments.requiredInteger("task_id"), userID: userID), "restored")
        case .updateTask:
            let id = try arguments.requiredInteger("task_id")
            let patch = try TaskPatch(
                title: try arguments.string("title"), description: try arguments.string("description"),
                priority: try arguments.string("priority").map(TaskRules.priority), tags: try arguments.strings("tags"),
                dueAt: try arguments.string("due_at").map { (raw) throws(TodoError) -> Date? in raw.isEmpty ? nil : try TaskRules.dueAt(raw) },
                recurrence: try arguments.string("recurrence").map { (raw) throws(TodoError) -> Recurrence? in
                    raw.isEmpty ? nil : try TaskRules.recurrence(raw)
                },
                completed: try arguments.boolean("completed"), reminder: try Self.reminder(arguments)
            )
            guard !patch.isEmpty else {
                throw ToolArgumentError(
                    message: "Nothing to update: give at least one of title, description, priority, tags, due_at, recurrence, completed, "
                        + "remind_at, remind_before_minutes."
                )
            }
            return Self.outcome(try await store.updateTask(id: id, with: patch, userID: userID), "updated")
        }
    }

    /// The reminder arguments: nil when absent, `.some(nil)` for `remind_at: ""` or `remind_before_minutes: 0`.
    static func reminder(_ arguments: ToolArguments) throws -> Reminder?? {
        let at = try arguments.string("remind_at")
        let before = try arguments.integer("remind_before_minutes")
        if let at, !at.isEmpty, let before, before != 0 {
            throw ToolArgumentError(message: "Give remind_at or remind_before_minutes, not both.")
        }
        if let at, !at.isEmpty { return .some(.at(try TaskRules.remindAt(at))) }
        if let before, before != 0 { return .some(.before(minutes: Int(clamping: before))) }
        return at == nil && before == nil ? nil : .some(nil)
    }

    /// The original spec's result shape: `{"task_id", "status", "title"}`.
    static func outcome(_ task: TodoTask, _ status: String) -> JSONValue {
        ["task_id": .int(task.id), "status": .string(status), "title": .string(task.title)]
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ arguments: ToolArguments, _ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let raw = try arguments.string(name) else { return nil }
        guard let value = T(anyCase: raw) else {
            throw ToolArgumentError(message: "Argument '\(name)' must be one of \(T.allowedValues).")
        }
        return value
    }
}

extension TodoTask {
    /// The task as tools return it: every field but the owner, dates in ISO 8601 (in `timeZone` with its offset
    /// when given, else UTC).
    func toolJSON(_ timeZone: TimeZone?) -> JSONValue {
        func date(_ value: Date?) -> JSONValue { value.map { .string(Self.toolDate($0, timeZone)) } ?? .null }
        return [
            "id": .int(id), "title": .string(title), "description": .string(description), "completed": .bool(completed),
            "priority": .string(priority.rawValue), "tags": .array(tags.map(JSONValue.string)), "due_at": date(dueAt),
            "recurrence": recurrence.map { .string($0.rawValue) } ?? .null, "completed_at": date(completedAt),
            "remind_at": date(remindAt), "remind_before_minutes": remindBeforeMinutes.map { .int(Int64($0)) } ?? .null,
            "reminder_at": date(reminderAt), "created_at": date(createdAt), "updated_at": date(updatedAt),
        ]
    }

    static func toolDate(_ date: Date, _ timeZone: TimeZone?) -> String {
        timeZone.map { Timestamp.format(date, in: $0) } ?? Timestamp.format(date)
    }
}
