import Foundation
import Hummingbird
import TodoCore

/// Reads `GET /api/tasks` query parameters into a `TaskQuery`; a bad value is a 422 naming the parameter.
enum TaskQueryParser {
    static func parse(_ parameters: Parameters) throws -> TaskQuery {
        for name in ["tag", "q"] {
            if let value = parameters.get(name) { try TaskRules.storable(value, field: name) }
        }
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
            guard let raw = parameters.get(name), !raw.isEmpty else { return nil }
            guard let value = T(anyCase: raw) else {
                throw TodoError.validation(field: name, message: "\(name) must be one of \(T.allowedValues)")
            }
            return value
        }
        func timestamp(_ name: String) throws -> Date? {
            guard let raw = parameters.get(name), !raw.isEmpty else { return nil }
            guard let date = Timestamp.parse(raw) else {
                throw TodoError.validation(field: name, message: "\(name) must be an ISO-8601 date-time with a time zone")
            }
            return date
        }
        var limit = TaskQuery.defaultLimit
        if let raw = parameters.get("limit"), !raw.isEmpty {
            guard let value = Int(raw) else {
                throw TodoError.validation(field: "limit", message: "limit must be 1-\(TaskQuery.maximumLimit)")
            }
            limit = value
        }
        return try TaskQuery(
            status: try choice("status", TaskQuery.Status.self) ?? .all, priority: try choice("priority", Priority.self),
            tag: parameters.get("tag").flatMap { $0.isEmpty ? nil : $0 }, text: parameters.get("q"),
            dueBefore: try timestamp("due_before"), dueAfter: try timestamp("due_after"),
            sort: try choice("sort", TaskQuery.Sort.self) ?? .created, order: try choice("order", TaskQuery.Order.self) ?? .asc,
            limit: limit, after: try parameters.get("cursor").flatMap { $0.isEmpty ? nil : $0 }.map(TaskCursor.decode)
        )
    }
}
