import Foundation
import TodoCore

/// A JSON field that may be absent, explicitly `null`, or a value: PATCH needs all three.
enum Field<Value: Decodable & Sendable>: Sendable {
    case absent, null, value(Value)

    var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }
}

extension KeyedDecodingContainer {
    func field<Value: Decodable>(_ key: Key) throws -> Field<Value> {
        guard contains(key) else { return .absent }
        return try decodeNil(forKey: key) ? .null : .value(decode(Value.self, forKey: key))
    }
}

/// The body of POST, PUT and PATCH on a task, turned into validated domain values.
struct TaskBody: Decodable, Sendable {
    let title: Field<String>
    let description: Field<String>
    let priority: Field<String>
    let tags: Field<[String]>
    let dueAt: Field<String>
    let recurrence: Field<String>
    let completed: Field<Bool>
    let remindAt: Field<String>
    let remindBeforeMinutes: Field<Int>

    enum CodingKeys: String, CodingKey {
        case title, description, priority, tags, recurrence, completed
        case dueAt = "due_at"
        case remindAt = "remind_at"
        case remindBeforeMinutes = "remind_before_minutes"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.field(.title)
        description = try container.field(.description)
        priority = try container.field(.priority)
        tags = try container.field(.tags)
        dueAt = try container.field(.dueAt)
        recurrence = try container.field(.recurrence)
        completed = try container.field(.completed)
        remindAt = try container.field(.remindAt)
        remindBeforeMinutes = try container.field(.remindBeforeMinutes)
    }

    /// POST: a title is required, everything else has its default.
    func newTask() throws -> NewTask {
        guard let title = title.value else { throw TodoError.validation(field: "title", message: "title is required") }
        return try NewTask(
            title: title, description: description.value ?? "", priority: try priority.value.map(TaskRules.priority) ?? .medium,
            tags: tags.value ?? [], dueAt: try dueAt.value.map(TaskRules.dueAt), recurrence: try recurrence.value.map(TaskRules.recurrence),
            reminder: try reminder() ?? nil
        )
    }

    /// PUT replaces the task: absent fields take their defaults.
    func replacement() throws -> TaskPatch {
        let task = try newTask()
        return try TaskPatch(
            title: task.title, description: task.description, priority: task.priority, tags: task.tags,
            dueAt: .some(task.dueAt), recurrence: .some(task.recurrence), completed: completed.value, reminder: .some(task.reminder)
        )
    }

    /// PATCH changes the given fields; `null` clears one (a title cannot be cleared).
    func patch() throws -> TaskPatch {
        if case .null = title { throw TodoError.validation(field: "title", message: "title cannot be null") }
        return try TaskPatch(
            title: title.value,
            description: cleared(description, to: ""),
            priority: try cleared(priority, to: "medium").map(TaskRules.priority),
            tags: cleared(tags, to: []),
            dueAt: try optional(dueAt, TaskRules.dueAt),
            recurrence: try optional(recurrence, TaskRules.recurrence),
            completed: completed.value,
            reminder: try reminder()
        )
    }

    /// The reminder fields: nil when both are absent, `.some(nil)` when one is null (a task has one reminder, so
    /// either null clears it), and an error when both carry a value.
    private func reminder() throws -> Reminder?? {
        switch (remindAt, remindBeforeMinutes) {
        case (.value, .value):
            throw TodoError.validation(field: "remind_at", message: "give remind_at or remind_before_minutes, not both")
        case (.value(let raw), _): return .some(.at(try TaskRules.remindAt(raw)))
        case (_, .value(let minutes)): return .some(.before(minutes: minutes))
        case (.null, _), (_, .null): return .some(nil)
        case (.absent, .absent): return nil
        }
    }

    private func cleared<Value>(_ field: Field<Value>, to empty: Value) -> Value? {
        switch field {
        case .absent: nil
        case .null: empty
        case .value(let value): value
        }
    }

    private func optional<Value>(_ field: Field<String>, _ parse: (String) throws(TodoError) -> Value) throws -> Value?? {
        switch field {
        case .absent: return nil
        case .null: return .some(nil)
        case .value(let raw): return .some(try parse(raw))
        }
    }
}
