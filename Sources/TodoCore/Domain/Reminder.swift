import Foundation

/// When a task reminds its owner: at a fixed moment, or some minutes before its due date.
public enum Reminder: Sendable, Equatable {
    case at(Date)
    case before(minutes: Int)

    /// The longest offset before a due date: four weeks.
    public static let maxMinutesBefore = 40_320

    /// The moment the reminder fires for a task due at `dueAt`; nil for an offset without a due date.
    public func time(dueAt: Date?) -> Date? {
        switch self {
        case .at(let date): date
        case .before(let minutes): dueAt.map { $0.addingTimeInterval(-Double(minutes) * 60) }
        }
    }

    /// The same reminder for the next occurrence of a recurring task: an offset stays, a fixed moment moves with
    /// the due date (or by one period when the task has none).
    public func next(recurrence: Recurrence, dueAt: Date?, nextDueAt: Date?) -> Reminder {
        switch self {
        case .before: self
        case .at(let date):
            if let dueAt, let nextDueAt { .at(date.addingTimeInterval(nextDueAt.timeIntervalSince(dueAt))) } else { .at(recurrence.next(after: date)) }
        }
    }
}

extension TodoTask {
    /// The task's reminder setting, from its two stored fields.
    public var reminder: Reminder? {
        get {
            if let remindAt { return .at(remindAt) }
            if let remindBeforeMinutes { return .before(minutes: remindBeforeMinutes) }
            return nil
        }
        set {
            switch newValue {
            case .at(let date)?: (remindAt, remindBeforeMinutes) = (date, nil)
            case .before(let minutes)?: (remindAt, remindBeforeMinutes) = (nil, minutes)
            case nil: (remindAt, remindBeforeMinutes) = (nil, nil)
            }
        }
    }
}
