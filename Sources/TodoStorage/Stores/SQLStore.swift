import Foundation
import TodoCore

/// Every store protocol over any `SQLDatabase`: the same statements serve SQLite and PostgreSQL.
public struct SQLStore: TaskStore, UserStore, SessionStore, SigningKeyStore, RateLimitStore, ConversationStore, MCPSessionStore {
    public let database: any SQLDatabase
    let now: @Sendable () -> Date
    let makeID: @Sendable () -> String
    /// The layout of Better Auth's tables, read once (camelCase or snake_case, text or integer dates).
    let authSchemaCache = AuthSchemaCache()
    /// Toggles of one task running in this process, which later toggles of it join (`toggleTaskCompleted`).
    let runningToggles = SingleFlight<TaskKey, TaskCompletion>()
    /// New tasks that arrive while the database is busy with others, written together (`insertTasks`).
    let taskInserts: WriteBatcher<TaskWrite, TodoTask>

    /// - Parameters:
    ///   - now: the clock, injectable for tests.
    ///   - makeID: generates text ids for Better Auth rows.
    public init(
        database: any SQLDatabase, now: @escaping @Sendable () -> Date = Date.init,
        makeID: @escaping @Sendable () -> String = { RandomID.make() }
    ) {
        self.database = database
        self.now = now
        self.makeID = makeID
        taskInserts = Self.taskInsertBatcher(for: database)
    }
}

extension SQLStore {
    /// How Better Auth's tables are laid out here; every query of them names their columns through it.
    public func authSchema() async throws -> AuthSchema { try await authSchemaCache.schema(database) }
}

extension SQLExecutor {
    /// ` FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises writers.
    var rowLock: String { dialect == .postgres ? " FOR UPDATE" : "" }
    /// ` FOR UPDATE SKIP LOCKED` on PostgreSQL: a replica claiming at the same moment takes other rows instead of
    /// waiting for these; SQLite has one writer.
    var claimLock: String { dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }
    /// Case-insensitive LIKE: PostgreSQL's LIKE is case-sensitive, SQLite's is not for ASCII.
    var caseInsensitiveLike: String { dialect == .postgres ? "ILIKE" : "LIKE" }
}

extension SQLStore {
    /// Placeholders `$first, $first+1, …` for an IN list of `values`.
    static func placeholders(_ values: [SQLValue], from first: Int) -> String {
        values.indices.map { "$\(first + $0)" }.joined(separator: ", ")
    }
}
