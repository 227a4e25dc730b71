import Foundation

/// A task owned by one user. Named `TodoTask` so it never shadows Swift's `Task`.
public struct TodoTask: Sendable, Equatable, Codable {
    public var id: Int64
    public var userID: String
    public var title: String
    public var description: String
    public var completed: Bool
    public var priority: Priority
    public var tags: [String]
    public var dueAt: Date?
    public var recurrence: Recurrence?
    public var completedAt: Date?
    /// An absolute reminder; exclusive with `remindBeforeMinutes` (see `reminder`).
    public var remindAt: Date?
    /// A reminder this many minutes before `dueAt`.
    public var remindBeforeMinutes: Int?
    /// When this occurrence's reminder fires; derived from the two above and `dueAt`.
    public var reminderAt: Date?
    /// When the reminder of this occurrence was delivered.
    public var remindedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, userID: String, title: String, description: String = "", completed: Bool = false,
        priority: Priority = .medium, tags: [String] = [], dueAt: Date? = nil, recurrence: Recurrence? = nil,
        completedAt: Date? = nil, reminder: Reminder? = nil, remindedAt: Date? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.title = title
        self.description = description
        self.completed = completed
        self.priority = priority
        self.tags = tags
        self.dueAt = dueAt
        self.recurrence = recurrence
        self.completedAt = completedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.reminder = reminder
        self.reminderAt = reminder?.time(dueAt: dueAt)
        self.remindedAt = remindedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, completed, priority, tags, recurrence
        case userID = "user_id"
        case dueAt = "due_at"
        case completedAt = "completed_at"
        case remindAt = "remind_at"
        case remindBeforeMinutes = "remind_before_minutes"
        case reminderAt = "reminder_at"
        case remindedAt = "reminded_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
