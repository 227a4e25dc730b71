import Foundation

/// Filters, order and page size for listing tasks.
public struct TaskQuery: Sendable, Equatable {
    /// Which tasks by completion state.
    public enum Status: String, Sendable, CaseIterable { case all, pending, completed }
    /// The field to order by.
    public enum Sort: String, Sendable, CaseIterable { case created, updated, title, due, priority }
    /// The direction of the order.
    public enum Order: String, Sendable, CaseIterable { case asc, desc }

    public static let defaultLimit = 50
    public static let maximumLimit = 200

    public var status: Status
    public var priority: Priority?
    public var tag: String?
    /// Case-insensitive text searched in title and description.
    public var text: String?
    public var dueBefore: Date?
    public var dueAfter: Date?
    public var sort: Sort
    public var order: Order
    public var limit: Int
    /// Continue after this position; it must come from a listing with the same sort and order.
    public var after: TaskCursor?

    public init(
        status: Status = .all, priority: Priority? = nil, tag: String? = nil, text: String? = nil,
        dueBefore: Date? = nil, dueAfter: Date? = nil, sort: Sort = .created, order: Order = .asc,
        limit: Int = TaskQuery.defaultLimit, after: TaskCursor? = nil
    ) throws(TodoError) {
        if let after, after.sort != sort || after.order != order {
            throw .validation(field: "cursor", message: "cursor belongs to a listing with another sort or order")
        }
        guard (1...Self.maximumLimit).contains(limit) else {
            throw .validation(field: "limit", message: "limit must be 1-\(Self.maximumLimit)")
        }
        self.status = status
        self.priority = priority
        self.tag = tag
        self.text = text
        self.dueBefore = dueBefore
        self.dueAfter = dueAfter
        self.sort = sort
        self.order = order
        self.limit = limit
        self.after = after
    }
}
