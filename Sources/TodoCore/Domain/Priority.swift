/// How urgent a task is.
public enum Priority: String, Sendable, Codable, CaseIterable, Comparable {
    case low, medium, high

    /// Orders low < medium < high, for sorting by priority.
    public var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }
}
