import Foundation
import TodoCore

extension SQLStore: EventStore {
    static let eventColumns = "id, user_id, kind, data, created_at"

    /// Writes a change-log entry in the caller's transaction, so an event exists exactly when its change does.
    static func record(_ executor: any SQLExecutor, _ kind: String, userID: String, data: String, stamp: Date) async throws {
        try await executor.execute(
            "INSERT INTO events (user_id, kind, data, created_at) VALUES ($1, $2, $3, $4)",
            [.text(userID), .text(kind), .text(data), .date(stamp)]
        )
    }

    static func record(_ executor: any SQLExecutor, _ kind: String, task: TodoTask, stamp: Date) async throws {
        try await record(executor, kind, userID: task.userID, data: WireJSON.text(TaskEventData(task: task)), stamp: stamp)
    }

    static func record(_ executor: any SQLExecutor, _ kind: String, conversation: Conversation, stamp: Date) async throws {
        try await record(executor, kind, userID: conversation.userID, data: WireJSON.text(["conversation": conversation]), stamp: stamp)
    }

    public func events(after: Int64, orIn missing: [Int64], limit: Int) async throws -> [ChangeEvent] {
        let skipped = missing.map(SQLValue.int)
        let condition = skipped.isEmpty ? "id > $1" : "(id > $1 OR id IN (\(Self.placeholders(skipped, from: 2))))"
        let binds: [SQLValue] = [.int(after)] + skipped + [.int(Int64(limit))]
        return try await database.query(
            "SELECT \(Self.eventColumns) FROM events WHERE \(condition) ORDER BY id LIMIT $\(binds.count)", binds
        ).map(Self.event(from:))
    }

    public func events(userID: String, after: Int64, limit: Int) async throws -> [ChangeEvent] {
        try await database.query(
            "SELECT \(Self.eventColumns) FROM events WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            [.text(userID), .int(after), .int(Int64(limit))]
        ).map(Self.event(from:))
    }

    public func latestEventID() async throws -> Int64 {
        let rows = try await database.query("SELECT COALESCE(MAX(id), 0) AS id FROM events", [])
        return try rows.first?.int("id") ?? 0
    }

    public func pruneEvents(before date: Date) async throws {
        try await database.execute("DELETE FROM events WHERE created_at < $1", [.date(date)])
    }

    static func event(from row: SQLRow) throws -> ChangeEvent {
        ChangeEvent(
            id: try row.int("id"), userID: try row.string("user_id"), kind: try row.string("kind"), data: try row.string("data"),
            createdAt: try row.date("created_at")
        )
    }
}

/// `{"task": …}`, the data of a task's change event, written by hand like the task itself: every task write makes
/// one, and `JSONEncoder` on a dictionary cost more than the rest of the event.
struct TaskEventData: JSONWritable {
    let task: TodoTask

    enum CodingKeys: String, CodingKey { case task }

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.key("task")
            task.write(to: &json)
        }
    }
}

/// A task's change-event data with its id left open, for a statement that learns the id as it writes the task.
struct TaskEventTemplate {
    /// Everything before the id's digits, and everything after them.
    let prefix: String
    let suffix: String

    init(_ task: TodoTask) {
        var open = task
        open.id = 0
        let json = WireJSON.text(TaskEventData(task: open))
        // Keys come in a fixed order and a string value escapes its quotes, so `"id":0` occurs once: the id's field.
        let marker = json.range(of: #""id":0"#)!
        prefix = String(json[..<json.index(before: marker.upperBound)])
        suffix = String(json[marker.upperBound...])
    }

    func data(id: Int64) -> String {
        prefix + String(id) + suffix
    }
}
