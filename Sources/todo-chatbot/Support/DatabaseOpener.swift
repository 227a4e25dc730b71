import ArgumentParser
import Logging
import TodoCore
import TodoStorage

/// Opens the configured database for a command, turning failures into one clear line.
enum DatabaseOpener {
    /// Opens the store. For PostgreSQL one direct connection is tried first: with `strict` a failure stops the
    /// command (migrate), otherwise it is logged and the server starts anyway, reporting 503 on /ready until
    /// the database is back (a suspended Neon endpoint must not crash-loop the container).
    static func open(_ settings: Settings, logger: Logger, strict: Bool = false) async throws -> any SQLDatabase {
        let database: any SQLDatabase
        do {
            database = try await DatabaseFactory.open(
                settings.database, poolSize: settings.databasePoolSize, timeout: settings.databaseTimeout, logger: logger
            )
        } catch {
            throw Startup.fail(Startup.describe(error))
        }
        if let postgres = database as? PostgresBackend {
            do {
                try await postgres.checkConnection()
            } catch {
                if strict { throw Startup.fail(Startup.describe(error)) }
                logger.warning("database not reachable at start", metadata: ["reason": "\(Startup.describe(error))"])
            }
        }
        return database
    }

    /// For one-shot commands: opens the database strictly, migrates the embedded store as the servers do, and runs
    /// `body` while the database runs. Errors of `body` are thrown as they are, for the command to word.
    static func withDatabase<T: Sendable>(
        _ settings: Settings, logger: Logger, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let opened = try await open(settings, logger: logger, strict: true)
        let embedded = settings.database.isEmbedded
        return try await DatabaseFactory.withRunning(opened) { database in
            if embedded { _ = try await Migrator(database: database).migrate() }
            return try await body(database)
        }
    }
}
