import Foundation

/// A value bound to a statement, independent of the database; each backend encodes it natively.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case bool(Bool)
    case date(Date)
    /// JSON text: `jsonb` on PostgreSQL, `text` on SQLite.
    case json(String)

    /// `.null` for nil, otherwise the wrapped conversion.
    static func optional<T>(_ value: T?, _ wrap: (T) -> SQLValue) -> SQLValue {
        value.map(wrap) ?? .null
    }
}
