import Logging
import ServiceLifecycle
import TodoCore

/// Opens the database a `DatabaseLocation` names; the one place that chooses the backend.
public enum DatabaseFactory {
    public static func open(
        _ location: DatabaseLocation, poolSize: Int, timeout: Duration, logger: Logger
    ) async throws -> any SQLDatabase {
        switch location {
        case .sqliteFile, .sqliteMemory:
            return try await SQLiteBackend.open(location, timeout: timeout, logger: logger)
        case .postgres(let postgres):
            return try PostgresBackend(postgres, poolSize: poolSize, timeout: timeout, logger: logger)
        }
    }

    /// Runs `body` while `database.run()` runs, cancelling the latter afterwards.
    public static func withRunning<T: Sendable>(
        _ database: any SQLDatabase, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await database.run()
                return nil
            }
            group.addTask { try await body(database) }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let value = result { return value }
            }
            throw CancellationError()
        }
    }
}
