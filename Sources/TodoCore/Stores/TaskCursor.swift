import Foundation

/// Where a page of tasks ended: the last task's sort key and id, for keyset pagination that stays correct while
/// tasks are added or removed. Clients see it as an opaque string.
public struct TaskCursor: Sendable, Equatable, Codable {
    public var sort: TaskQuery.Sort
    public var order: TaskQuery.Order
    /// The sort key of the last task: a timestamp, a title or a priority rank, as text; nil for a missing due date.
    public var key: String?
    public var id: Int64

    public init(sort: TaskQuery.Sort, order: TaskQuery.Order, key: String?, id: Int64) {
        self.sort = sort
        self.order = order
        self.key = key
        self.id = id
    }

    /// The cursor after `task` in a listing sorted by `sort` and `order`.
    public init(after task: TodoTask, sort: TaskQuery.Sort, order: TaskQuery.Order) {
        let key: String? =
            switch sort {
            // Microseconds: PostgreSQL keeps them, and a cursor rounded to milliseconds would repeat or skip the
            // tasks of the same millisecond.
            case .created: Timestamp.formatMicroseconds(task.createdAt)
            case .updated: Timestamp.formatMicroseconds(task.updatedAt)
            case .title: task.title
            case .due: task.dueAt.map(Timestamp.formatMicroseconds)
            case .priority: String(task.priority.rank)
            }
        self.init(sort: sort, order: order, key: key, id: task.id)
    }

    enum CodingKeys: String, CodingKey {
        case sort = "s", order = "o", key = "k", id = "i"
    }

    /// URL-safe base64 of a small JSON object.
    public var encoded: String {
        Base64URL.encode((try? JSONEncoder().encode(self)) ?? Data())
    }

    /// Decodes a cursor; anything a client made up or mangled is a 422 on `cursor`.
    public static func decode(_ text: String) throws(TodoError) -> TaskCursor {
        guard text.count <= 512, let data = Base64URL.decode(text),
              let cursor = try? JSONDecoder().decode(TaskCursor.self, from: data)
        else { throw .validation(field: "cursor", message: "cursor is not one this API returned") }
        return cursor
    }
}

extension TaskQuery.Sort: Codable {}
extension TaskQuery.Order: Codable {}

/// One page of a task listing.
public struct TaskPage: Sendable, Equatable {
    public var tasks: [TodoTask]
    /// Present when more tasks follow; pass it back as `cursor` for the next page.
    public var nextCursor: TaskCursor?

    public init(tasks: [TodoTask], nextCursor: TaskCursor?) {
        self.tasks = tasks
        self.nextCursor = nextCursor
    }
}
