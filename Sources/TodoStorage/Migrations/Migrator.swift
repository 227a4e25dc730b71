import Foundation
import TodoCore

/// A migration whose recorded checksum no longer matches its statements, or another schema-history problem.
public enum MigrationError: Error, Equatable, CustomStringConvertible {
    case changedAfterApply(version: Int, name: String, recorded: String, current: String)

    public var description: String {
        switch self {
        case .changedAfterApply(let version, let name, let recorded, let current):
            "migration \(version) (\(name)) was changed after it was applied (checksum \(recorded) in the database, "
                + "\(current) in this build); restore the original migration and add a new one instead"
        }
    }
}

/// The state of one known migration in a database.
public struct MigrationStatus: Sendable, Equatable {
    public var version: Int
    public var name: String
    /// When it was applied; nil while pending.
    public var appliedAt: Date?
}

/// Applies the versioned schema: one transaction per migration, recorded with a checksum, under a lock.
public struct Migrator: Sendable {
    /// Every migration, in version order.
    public static let all: [Migration] = [SchemaV1.migration, SchemaV2.migration, SchemaV3.migration, SchemaV4.migration, SchemaV5.migration, SchemaV6.migration, SchemaV7.migration, SchemaV8.migration]

    // A fixed key for pg_advisory_xact_lock; transaction-scoped, so it works behind PgBouncer's transaction mode.
    static let lockKey: Int64 = 7_315_620_001

    let database: any SQLDatabase
    let migrations: [Migration]
    let now: @Sendable () -> Date

    public init(database: any SQLDatabase, migrations: [Migration] = Migrator.all, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.migrations = migrations
        self.now = now
    }

    /// Applies every pending migration and returns those applied by this call (none when up to date).
    @discardableResult
    public func migrate() async throws -> [Migration] {
        var applied: [Migration] = []
        while let migration = try await applyNext() { applied.append(migration) }
        return applied
    }

    /// Known migrations with their applied time, without changing anything.
    public func status() async throws -> [MigrationStatus] {
        let recorded = try await historyIfPresent(database)
        try verify(recorded)
        return migrations.map { migration in
            MigrationStatus(version: migration.version, name: migration.name, appliedAt: recorded[migration.version]?.appliedAt)
        }
    }

    private func applyNext() async throws -> Migration? {
        let migrations = self.migrations
        let dialect = database.dialect
        let appliedAt = now()
        return try await database.transaction { executor in
            if dialect == .postgres {
                // Blocks a concurrent migrate until this transaction ends; it then sees the work as done.
                try await executor.execute("SELECT pg_advisory_xact_lock($1)", [.int(Self.lockKey)])
            }
            try await executor.execute(Self.historyTable(dialect))
            let recorded = try await Self.history(executor)
            try self.verify(recorded)
            guard let next = migrations.first(where: { recorded[$0.version] == nil }) else { return nil }
            // Better Auth's tables may predate us (camelCase from its migrate, snake_case from Drizzle): checked,
            // then each statement adapted to them. The checksum stays that of the statements as written.
            let foreign = try await ForeignTables.inspect(executor)
            try foreign.check()
            for statement in next.statements(for: dialect) {
                if let adapted = foreign.adapt(statement) { try await executor.execute(adapted) }
            }
            try await executor.execute(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
                [.int(Int64(next.version)), .text(next.name), .text(next.checksum(for: dialect)), .date(appliedAt)]
            )
            return next
        }
    }

    private func verify(_ recorded: [Int: (checksum: String, appliedAt: Date)]) throws {
        for migration in migrations {
            guard let entry = recorded[migration.version] else { continue }
            let current = migration.checksum(for: database.dialect)
            if entry.checksum != current {
                throw MigrationError.changedAfterApply(
                    version: migration.version, name: migration.name, recorded: entry.checksum, current: current
                )
            }
        }
    }

    static func historyTable(_ dialect: SQLDialect) -> String {
        let timestamp = dialect == .postgres ? "timestamptz" : "text"
        return """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at \(timestamp) NOT NULL
            )
            """
    }

    private func historyIfPresent(_ executor: any SQLExecutor) async throws -> [Int: (checksum: String, appliedAt: Date)] {
        let exists = executor.dialect == .postgres
            ? "SELECT 1 AS present FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
            : "SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        guard try await !executor.query(exists, []).isEmpty else { return [:] }
        return try await Self.history(executor)
    }

    static func history(_ executor: any SQLExecutor) async throws -> [Int: (checksum: String, appliedAt: Date)] {
        var history: [Int: (checksum: String, appliedAt: Date)] = [:]
        for row in try await executor.query("SELECT version, checksum, applied_at FROM schema_migrations", []) {
            history[Int(try row.int("version"))] = (try row.string("checksum"), try row.date("applied_at"))
        }
        return history
    }
}
