import Foundation
import Synchronization
import TodoCore

/// How Better Auth's tables (`user`, `session`, `account`, `verification`, `jwks`) are laid out in this database.
/// Better Auth's own migrate writes camelCase columns (`userId`); its Drizzle generator writes snake_case
/// (`user_id`), and on SQLite stores dates as integer milliseconds. Each table is looked at on its own, once.
public struct AuthSchema: Sendable, Equatable {
    public static let tables = ["user", "session", "account", "verification", "jwks"]

    /// One table's layout.
    public struct Table: Sendable, Equatable {
        public var name: String
        public var snakeCase = false
        /// SQLite columns declared INTEGER hold dates as milliseconds since 1970 (Drizzle's `timestamp_ms`, Prisma).
        public var integerDates = false

        /// The quoted column for a camelCase name: `"userId"` or `"user_id"`.
        public func column(_ camel: String) -> String { "\"\(physical(camel))\"" }

        /// As a select item, named as the code reads it: `"user_id" AS "userId"`, or `"userId"`.
        public func select(_ camel: String, from alias: String = "") -> String {
            let prefix = alias.isEmpty ? "" : alias + "."
            let name = physical(camel)
            return name == camel ? prefix + "\"\(camel)\"" : prefix + "\"\(name)\" AS \"\(camel)\""
        }

        /// A date as this table stores it.
        public func date(_ value: Date) -> SQLValue {
            integerDates ? .int(Int64((value.timeIntervalSince1970 * 1000).rounded())) : .date(value)
        }

        func physical(_ camel: String) -> String { snakeCase ? AuthSchema.snake(camel) : camel }
    }

    public var user = Table(name: "user")
    public var session = Table(name: "session")
    public var account = Table(name: "account")
    public var verification = Table(name: "verification")

    public init() {}

    /// `emailVerified` → `email_verified`.
    static func snake(_ camel: String) -> String {
        var result = ""
        for character in camel {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// The columns of each existing Better Auth table, with their declared types (empty for a missing table).
    static func columns(_ executor: any SQLExecutor) async throws -> [String: [String: String]] {
        var found: [String: [String: String]] = [:]
        for table in tables {
            let rows = executor.dialect == .postgres
                ? try await executor.query(
                    "SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
                    [.text(table)]
                )
                : try await executor.query("SELECT name, type FROM pragma_table_info($1)", [.text(table)])
            found[table] = Dictionary(try rows.map { (try $0.string("name"), try $0.string("type").lowercased()) }, uniquingKeysWith: { first, _ in first })
        }
        return found
    }

    /// Reads the layout from the tables as they are; a missing table counts as ours (camelCase, text dates).
    static func detect(_ executor: any SQLExecutor) async throws -> AuthSchema {
        let columns = try await columns(executor)
        var schema = AuthSchema()
        func layout(_ table: inout Table, dateColumn: String) {
            let existing = columns[table.name] ?? [:]
            table.snakeCase = existing["created_at"] != nil && existing["createdAt"] == nil
            table.integerDates = executor.dialect == .sqlite && (existing[table.physical(dateColumn)]?.contains("int") ?? false)
        }
        layout(&schema.user, dateColumn: "createdAt")
        layout(&schema.session, dateColumn: "expiresAt")
        layout(&schema.account, dateColumn: "createdAt")
        layout(&schema.verification, dateColumn: "expiresAt")
        return schema
    }
}

/// The layout of a store's database, read once on first use (after migrations, which create missing tables in
/// Better Auth's camelCase form).
final class AuthSchemaCache: Sendable {
    private let detected = Mutex<AuthSchema?>(nil)

    func schema(_ database: any SQLDatabase) async throws -> AuthSchema {
        if let schema = detected.withLock({ $0 }) { return schema }
        let schema = try await AuthSchema.detect(database)
        detected.withLock { $0 = schema }
        return schema
    }
}
