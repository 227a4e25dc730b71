import Foundation
import TodoCore

/// A column that is missing or holds a type the caller did not expect: a bug or a schema mismatch.
public struct SQLDecodingError: Error, CustomStringConvertible {
    public let column: String
    public let expected: String
    public var description: String { "column \(column) is missing or not \(expected)" }
}

/// One result row, read by column name.
public struct SQLRow: Sendable {
    let names: [String]
    let values: [SQLValue]

    public init(names: [String], values: [SQLValue]) {
        self.names = names
        self.values = values
    }

    public subscript(_ column: String) -> SQLValue {
        self[column, at: nil]
    }

    /// The column's value, looked for first at `position` (where the statement put it), then by name: decoding a
    /// list of rows looks each column up, and comparing every name cost more than reading the values.
    public subscript(_ column: String, at position: Int?) -> SQLValue {
        if let position, position < names.count, names[position] == column { return values[position] }
        guard let index = names.firstIndex(of: column) else { return .null }
        return values[index]
    }

    public func int(_ column: String, at position: Int? = nil) throws -> Int64 {
        switch self[column, at: position] {
        case .int(let value): return value
        case .double(let value): return Int64(value)
        case .text(let value): if let number = Int64(value) { return number }
        default: break
        }
        throw SQLDecodingError(column: column, expected: "an integer")
    }

    public func string(_ column: String, at position: Int? = nil) throws -> String {
        guard let value = optionalString(column, at: position) else { throw SQLDecodingError(column: column, expected: "text") }
        return value
    }

    public func optionalString(_ column: String, at position: Int? = nil) -> String? {
        switch self[column, at: position] {
        case .text(let value), .json(let value): value
        case .int(let value): String(value)
        default: nil
        }
    }

    public func bool(_ column: String, at position: Int? = nil) throws -> Bool {
        switch self[column, at: position] {
        case .bool(let value): return value
        case .int(let value): return value != 0
        default: throw SQLDecodingError(column: column, expected: "a boolean")
        }
    }

    public func date(_ column: String, at position: Int? = nil) throws -> Date {
        guard let value = optionalDate(column, at: position) else { throw SQLDecodingError(column: column, expected: "a timestamp") }
        return value
    }

    public func optionalDate(_ column: String, at position: Int? = nil) -> Date? {
        switch self[column, at: position] {
        case .date(let value): value
        case .text(let value): Timestamp.parse(value)
        case .double(let value): Date(timeIntervalSince1970: value)
        // Integer dates are Drizzle's and Prisma's milliseconds; below 10^11 (year 5138 in seconds) they are seconds.
        case .int(let value): Date(timeIntervalSince1970: value >= 100_000_000_000 ? Double(value) / 1000 : Double(value))
        default: nil
        }
    }
}
