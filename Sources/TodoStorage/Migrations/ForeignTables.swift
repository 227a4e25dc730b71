import Foundation
import TodoCore

/// Better Auth's tables as this database has them, which may be older than us (a Better Auth app that adopts this
/// service) and laid out another way: migrations check them, then adapt their statements to them.
struct ForeignTables {
    /// The columns every version of Better Auth since 1.0 has, camelCase; what we read and write.
    static let required: [String: [String]] = [
        "user": ["id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"],
        "session": ["id", "expiresAt", "token", "createdAt", "updatedAt", "ipAddress", "userAgent", "userId"],
        "account": ["id", "accountId", "providerId", "userId", "password", "createdAt", "updatedAt"],
        "verification": ["id", "identifier", "value", "expiresAt", "createdAt", "updatedAt"],
        "jwks": ["id", "publicKey", "privateKey", "createdAt"],
    ]
    static let camelColumns = Set(required.values.joined().filter { $0 != AuthSchema.snake($0) })

    /// Each existing table's columns (lower-cased types), as found.
    let columns: [String: [String: String]]

    static func inspect(_ executor: any SQLExecutor) async throws -> ForeignTables {
        ForeignTables(columns: try await AuthSchema.columns(executor))
    }

    func isSnakeCase(_ table: String) -> Bool {
        let existing = columns[table] ?? [:]
        return existing["created_at"] != nil && existing["createdAt"] == nil
    }

    /// Fails with every table that exists but lacks a column we need, naming the columns in the table's own style.
    func check() throws {
        var problems: [String] = []
        for (table, needed) in Self.required.sorted(by: { $0.key < $1.key }) {
            guard let existing = columns[table], !existing.isEmpty else { continue }
            let snake = isSnakeCase(table)
            let missing = needed.map { snake ? AuthSchema.snake($0) : $0 }.filter { existing[$0] == nil }
            if !missing.isEmpty {
                problems.append(
                    "table \"\(table)\" exists but lacks \(missing.map { "\"\($0)\"" }.joined(separator: ", ")) "
                        + "(its columns look \(snake ? "snake_case" : "camelCase"): \(existing.keys.sorted().joined(separator: ", ")))"
                )
            }
        }
        guard problems.isEmpty else { throw ForeignTablesError(problems: problems) }
    }

    /// The statement as this database needs it: nil when it must not run here (a `-- only if "T" is camelCase`
    /// statement on a snake_case table, or adding a column the table already has); Better Auth's camelCase columns
    /// renamed for the snake_case table it works on.
    func adapt(_ statement: String) -> String? {
        if statement.hasPrefix("-- only if \""), let table = statement.dropFirst(12).split(separator: "\"").first, isSnakeCase(String(table)) {
            return nil
        }
        guard let table = Self.target(of: statement) else { return statement }
        var adapted = statement
        if isSnakeCase(table) {
            for camel in Self.camelColumns { adapted = adapted.replacingOccurrences(of: "\"\(camel)\"", with: "\"\(AuthSchema.snake(camel))\"") }
        }
        if let added = Self.addedColumn(in: adapted), columns[table]?[added] != nil { return nil }
        return adapted
    }

    /// The Better Auth table a statement works on (the first one it names), if any.
    static func target(of statement: String) -> String? {
        for keyword in [" ON \"", "ALTER TABLE \"", "UPDATE \"", "INSERT INTO \"", "FROM \"", "EXISTS \""] {
            guard let range = statement.range(of: keyword) else { continue }
            let name = statement[range.upperBound...].prefix { $0 != "\"" }
            if AuthSchema.tables.contains(String(name)) { return String(name) }
        }
        return nil
    }

    /// `ALTER TABLE "t" ADD COLUMN "c" …` → c.
    static func addedColumn(in statement: String) -> String? {
        guard statement.hasPrefix("ALTER TABLE"), let range = statement.range(of: "ADD COLUMN \"") else { return nil }
        return String(statement[range.upperBound...].prefix { $0 != "\"" })
    }
}

/// Better Auth's tables exist here but do not have what this service needs; nothing was changed.
public struct ForeignTablesError: Error, Equatable, CustomStringConvertible {
    public let problems: [String]

    public var description: String {
        "the database's Better Auth tables do not match Better Auth's schema: " + problems.joined(separator: "; ")
            + ". Run Better Auth's own migrate (or generate) for them first, or point DATABASE_URL at another database."
    }
}
