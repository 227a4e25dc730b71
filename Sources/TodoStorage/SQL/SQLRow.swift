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
        guard let index = names.firstIndex(of: column) else { return .null }
        return values[index]
    }

    public func int(_ column: String) throws -> Int64 {
        switch self[column] {
        case .int(let value): return value
        case .double(let value): return Int64(value)
        case .text(let value): if let number = Int64(value) { return number }
        default: break
        }
        throw SQLDecodingError(column: column, expected: "an integer")
    }

    public func string(_ column: String) throws -> String {
        guard let value = optionalString(column) else { throw SQLDecodingError(column: column, expected: "text") }
        return value
    }

    public func optionalString(_ column: String) -> String? {
        switch self[column] {
        case .text(let value), .json(let value): value
        case .int(let value): String(value)
        default: nil
        }
    }

    public func bool(_ column: String) throws -> Bool {
        switch self[column] {
        case .bool(let value): return value
        case .int(let value): return value != 0
        default: throw SQLDecodingError(column: column, expected: "a boolean")
        }
    }

    public func date(_ column: String) throws -> Date {
        guard let value = optionalDate(column) else { throw SQLDecodingError(column: column, expected: "a timestamp") }
        return value
    }

    public func optionalDate(_ column: String) -> Date? {
        switch self[column] {
        case .date(let value): value
        case .text(let value): Timestamp.parse(value)
        case .double(let value): Date(timeIntervalSince1970: value)
        // Integer dates are Drizzle's and Prisma's milliseconds; below 10^11 (year 5138 in seconds) they are seconds.
        case .int(let value): Date(timeIntervalSince1970: value >= 100_000_000_000 ? Double(value) / 1000 : Double(value))
        default: nil
        }
    }
}
