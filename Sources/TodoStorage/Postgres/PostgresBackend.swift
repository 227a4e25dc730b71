import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import Synchronization
import TodoCore

/// PostgreSQL through PostgresNIO's pool, safe behind Neon's transaction-mode pooler.
///
/// Only unnamed statements are used (no prepared-statement cache), and no session state is set,
/// so PgBouncer in transaction mode may hand each transaction a different server connection.
public final class PostgresBackend: SQLDatabase {
    public let dialect = SQLDialect.postgres
    public let redactedLocation: String
    private let client: PostgresClient
    private let location: PostgresLocation
    private let timeout: Duration
    private let poolSize: Int
    private let inUse = Atomic<Int>(0)
    private let logger: Logger

    public init(_ location: PostgresLocation, poolSize: Int, timeout: Duration, logger: Logger) throws {
        self.location = location
        self.redactedLocation = location.redacted
        self.timeout = timeout
        self.poolSize = poolSize
        // PostgresNIO logs statements and their values at debug level; keep them out of the logs even when
        // LOG_LEVEL=debug, since values can be personal data or password hashes.
        var driverLogger = logger
        driverLogger.logLevel = max(logger.logLevel, .info)
        self.logger = driverLogger
        self.client = PostgresClient(
            configuration: try PostgresConfiguration.client(location, poolSize: poolSize), backgroundLogger: driverLogger
        )
    }

    public func run() async throws {
        await client.run()
    }

    public var poolUsage: PoolUsage { PoolUsage(size: poolSize, inUse: inUse.load(ordering: .relaxed)) }

    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await resilient {
            try await self.leased { connection in try await Self.run(connection, sql, binds, self.logger) }
        }
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await resilient {
            try await self.leased { connection in
                try await connection.query("BEGIN", logger: self.logger)
                let value: T
                do {
                    value = try await body(PostgresConnectionExecutor(connection: connection, logger: self.logger))
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: self.logger)
                    throw error
                }
                do {
                    try await connection.query("COMMIT", logger: self.logger)
                } catch let error where PostgresErrors.isConnectionLoss(error) {
                    throw SQLError.commitOutcomeUnknown
                }
                return value
            }
        }
    }

    public func ping() async throws {
        try await query("SELECT 1", [])
    }

    /// Opens one direct connection, so a wrong password or host fails at once with the server's reason,
    /// where the pool would keep retrying in the background.
    public func checkConnection() async throws {
        let configuration = try PostgresConfiguration.connection(location)
        let logger = self.logger
        try await withDeadline(timeout, "PostgreSQL") {
            do {
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 0, logger: logger
                ).get()
                try await connection.query("SELECT 1", logger: logger)
                try await connection.close()
            } catch {
                throw PostgresErrors.translate(error)
            }
        }
    }

    private func leased<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            self.inUse.add(1, ordering: .relaxed)
            defer { self.inUse.subtract(1, ordering: .relaxed) }
            return try await body(connection)
        }
    }

    /// One deadline per attempt, and one retry when the connection was lost (the database restarted or
    /// resumed from suspend); after that the caller sees `TodoError.unavailable`, which the API maps to 503.
    private func resilient<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await withDeadline(timeout, "PostgreSQL", operation)
        } catch let error where PostgresErrors.isConnectionLoss(error) {
            logger.warning("database connection lost; retrying once")
            do {
                return try await withDeadline(timeout, "PostgreSQL", operation)
            } catch {
                throw PostgresErrors.translate(error)
            }
        } catch {
            throw PostgresErrors.translate(error)
        }
    }

    static func run(_ connection: PostgresConnection, _ sql: String, _ binds: [SQLValue], _ logger: Logger) async throws -> [SQLRow] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: PostgresValues.bindings(binds)), logger: logger)
        var result: [SQLRow] = []
        for try await row in rows { result.append(try PostgresValues.row(row)) }
        return result
    }
}

/// The executor handed to a transaction body: every statement runs on the transaction's connection.
struct PostgresConnectionExecutor: SQLExecutor {
    let connection: PostgresConnection
    let logger: Logger
    var dialect: SQLDialect { .postgres }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        do {
            return try await PostgresBackend.run(connection, sql, binds, logger)
        } catch {
            // Unique violations must reach the store as SQLError; a lost connection stays raw so the retry sees it.
            if PostgresErrors.isConnectionLoss(error) { throw error }
            throw PostgresErrors.translate(error)
        }
    }
}
