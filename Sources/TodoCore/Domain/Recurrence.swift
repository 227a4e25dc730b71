import Foundation

/// How a task repeats once completed.
public enum Recurrence: String, Sendable, Codable, CaseIterable {
    case daily, weekly, monthly

    /// The next due date after `date`, in UTC calendar arithmetic.
    public func next(after date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let component: Calendar.Component
        let amount: Int
        switch self {
        case .daily: (component, amount) = (.day, 1)
        case .weekly: (component, amount) = (.day, 7)
        case .monthly: (component, amount) = (.month, 1)
        }
        return calendar.date(byAdding: component, value: amount, to: date) ?? date
    }
}
