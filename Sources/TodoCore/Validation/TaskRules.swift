import Foundation

/// The validation rules of a task's fields, shared by the REST API, the tools and the stores.
public enum TaskRules {
    public static let titleLimit = 200
    /// How long a deleted task can be restored (undo) before the purge removes it for good: 7 days.
    public static let restorableFor: TimeInterval = 7 * 86_400
    public static let descriptionLimit = 1000
    public static let tagLimit = 10
    public static let tagLengthLimit = 32

    /// A text's length in characters as the limits mean them: Unicode code points, what the databases' CHECK
    /// constraints (`char_length`, SQLite's `length`) and JSON Schema's `maxLength` count. Swift's `count` counts
    /// grapheme clusters, so 150 "👍🏽" (300 code points) would pass it and then be refused by the database.
    public static func characters(_ text: String) -> Int {
        text.unicodeScalars.count
    }

    /// Rejects the NUL character, which PostgreSQL cannot store in text.
    public static func storable(_ text: String, field: String) throws(TodoError) {
        guard !text.utf8.contains(0) else { throw .validation(field: field, message: "\(field) must not contain NUL characters") }
    }

    /// Trims the title and checks it is 1–200 characters.
    public static func title(_ raw: String) throws(TodoError) -> String {
        try storable(raw, field: "title")
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, characters(title) <= titleLimit else {
            throw .validation(field: "title", message: "title must be 1-\(titleLimit) characters")
        }
        return title
    }

    /// Trims the description and checks it is at most 1000 characters.
    public static func description(_ raw: String) throws(TodoError) -> String {
        try storable(raw, field: "description")
        let description = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard characters(description) <= descriptionLimit else {
            throw .validation(field: "description", message: "description must be at most \(descriptionLimit) characters")
        }
        return description
    }

    /// Accepts `low`, `medium` or `high`, in any letter case.
    public static func priority(_ raw: String) throws(TodoError) -> Priority {
        guard let priority = Priority(rawValue: raw.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw .validation(field: "priority", message: "priority must be one of low, medium, high")
        }
        return priority
    }

    /// Accepts `daily`, `weekly` or `monthly`, in any letter case.
    public static func recurrence(_ raw: String) throws(TodoError) -> Recurrence {
        guard let recurrence = Recurrence(rawValue: raw.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw .validation(field: "recurrence", message: "recurrence must be one of daily, weekly, monthly")
        }
        return recurrence
    }

    /// Trims each tag, drops duplicates (keeping the first spelling), and checks the count and lengths.
    public static func tags(_ raw: [String]) throws(TodoError) -> [String] {
        var seen = Set<String>()
        var tags: [String] = []
        for candidate in raw {
            try storable(candidate, field: "tags")
            let tag = candidate.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !tag.isEmpty, characters(tag) <= tagLengthLimit else {
                throw .validation(field: "tags", message: "each tag must be 1-\(tagLengthLimit) characters")
            }
            if seen.insert(tag.lowercased()).inserted { tags.append(tag) }
        }
        guard tags.count <= tagLimit else {
            throw .validation(field: "tags", message: "at most \(tagLimit) tags are allowed")
        }
        return tags
    }

    /// Parses an ISO-8601 date-time that names its time zone, e.g. `2026-12-01T09:00:00+01:00`.
    public static func dueAt(_ raw: String) throws(TodoError) -> Date {
        guard let date = Timestamp.parse(raw.trimmingCharacters(in: .whitespaces)) else {
            throw .validation(
                field: "due_at",
                message: "due_at must be an ISO-8601 date-time with a time zone, e.g. 2026-12-01T09:00:00Z"
            )
        }
        return date
    }

    /// A reminder offset is 1 minute to four weeks, and needs a due date to count back from.
    public static func reminder(_ reminder: Reminder?, dueAt: Date?) throws(TodoError) -> Reminder? {
        if case .at(let date)? = reminder { return .at(Timestamp.wholeMilliseconds(date)) }
        guard case .before(let minutes)? = reminder else { return reminder }
        try reminderMinutes(minutes)
        guard dueAt != nil else {
            throw .validation(field: "remind_before_minutes", message: "a reminder before the due date needs a due date; set due_at too")
        }
        return reminder
    }

    /// An offset of 1 minute to four weeks.
    public static func reminderMinutes(_ minutes: Int) throws(TodoError) {
        guard (1...Reminder.maxMinutesBefore).contains(minutes) else {
            throw .validation(
                field: "remind_before_minutes", message: "remind_before_minutes must be between 1 and \(Reminder.maxMinutesBefore) (four weeks)"
            )
        }
    }

    /// Parses an absolute reminder time, like `dueAt`.
    public static func remindAt(_ raw: String) throws(TodoError) -> Date {
        guard let date = Timestamp.parse(raw.trimmingCharacters(in: .whitespaces)) else {
            throw .validation(
                field: "remind_at", message: "remind_at must be an ISO-8601 date-time with a time zone, e.g. 2026-12-01T08:30:00Z"
            )
        }
        return date
    }
}
