import ServiceLifecycle

/// The SQL flavour, for the few statements that differ between SQLite and PostgreSQL.
public enum SQLDialect: String, Sendable {
    case sqlite, postgres

    /// The database's name in messages.
    public var productName: String { self == .postgres ? "PostgreSQL" : "SQLite" }
}

/// Runs statements with `$1`-style placeholders; the seam the stores share across backends.
public protocol SQLExecutor: Sendable {
    var dialect: SQLDialect { get }
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
}

extension SQLExecutor {
    /// Runs a statement and ignores its rows.
    public func execute(_ sql: String, _ binds: [SQLValue] = []) async throws {
        _ = try await query(sql, binds)
    }
}

/// How full a connection pool is, for `/metrics`.
public struct PoolUsage: Sendable, Equatable {
    public var size: Int
    public var inUse: Int
}

/// A database with transactions, a health ping and a lifecycle; `run()` must be running while it is used.
public protocol SQLDatabase: SQLExecutor, Service {
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// Throws `TodoError.unavailable` when the database does not answer within its timeout.
    func ping() async throws
    var poolUsage: PoolUsage { get }
    /// The deadline of one call (`DATABASE_TIMEOUT`).
    var timeout: Duration { get }
    /// A description safe for logs.
    var redactedLocation: String { get }
    /// Counts changes to each user's tasks for caches of what was read; its coverage says what it can see.
    var changes: ChangeTracker { get }
}
