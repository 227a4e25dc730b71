import Foundation

/// A change to some fields of a task; nil leaves a field as it is.
///
/// `dueAt`, `recurrence` and `reminder` are double optionals: `.some(nil)` clears the value.
public struct TaskPatch: Sendable, Equatable {
    public let title: String?
    public let description: String?
    public let priority: Priority?
    public let tags: [String]?
    public let dueAt: Date??
    public let recurrence: Recurrence??
    public let completed: Bool?
    public let reminder: Reminder??

    public init(
        title: String? = nil, description: String? = nil, priority: Priority? = nil, tags: [String]? = nil,
        dueAt: Date?? = nil, recurrence: Recurrence?? = nil, completed: Bool? = nil, reminder: Reminder?? = nil
    ) throws(TodoError) {
        self.title = try title.map { (value) throws(TodoError) in try TaskRules.title(value) }
        self.description = try description.map { (value) throws(TodoError) in try TaskRules.description(value) }
        self.priority = priority
        self.tags = try tags.map { (value) throws(TodoError) in try TaskRules.tags(value) }
        self.dueAt = dueAt.map { $0.map(Timestamp.wholeMilliseconds) }
        self.recurrence = recurrence
        self.completed = completed
        if case .before(let minutes)?? = reminder { try TaskRules.reminderMinutes(minutes) }
        self.reminder = reminder
    }

    /// True when the patch changes nothing.
    public var isEmpty: Bool {
        title == nil && description == nil && priority == nil && tags == nil && dueAt == nil && recurrence == nil
            && completed == nil && reminder == nil
    }
}
