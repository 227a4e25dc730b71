import Foundation

/// A validated task to create; the initializer enforces `TaskRules`, so every instance is valid.
public struct NewTask: Sendable, Equatable {
    public let title: String
    public let description: String
    public let priority: Priority
    public let tags: [String]
    public let dueAt: Date?
    public let recurrence: Recurrence?
    public let reminder: Reminder?

    public init(
        title: String, description: String = "", priority: Priority = .medium, tags: [String] = [],
        dueAt: Date? = nil, recurrence: Recurrence? = nil, reminder: Reminder? = nil
    ) throws(TodoError) {
        self.title = try TaskRules.title(title)
        self.description = try TaskRules.description(description)
        self.priority = priority
        self.tags = try TaskRules.tags(tags)
        self.dueAt = dueAt.map(Timestamp.wholeMilliseconds)
        self.recurrence = recurrence
        self.reminder = try TaskRules.reminder(reminder, dueAt: dueAt)
    }
}
