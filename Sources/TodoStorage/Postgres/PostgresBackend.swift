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
///
/// `replaceLocation(_:)` swaps the pool for one with new credentials (a rotated password) without a restart: new
/// operations use the new pool at once; the old pool keeps no minimum of connections, so its last ones close
/// after the idle timeout once their operations are done.
public final class PostgresBackend: SQLDatabase {
    public let dialect = SQLDialect.postgres
    private let pool: Mutex<(location: PostgresLocation, client: PostgresClient)>
    private let firstClient: PostgresClient
    private let laterClients: AsyncStream<PostgresClient>
    private let newClients: AsyncStream<PostgresClient>.Continuation
    private let timeout: Duration
    private let poolSize: Int
    private let inUse = Atomic<Int>(0)
    private let logger: Logger

    public init(_ location: PostgresLocation, poolSize: Int, timeout: Duration, logger: Logger) throws {
        self.timeout = timeout
        self.poolSize = poolSize
        // PostgresNIO logs statements and their values at debug level; keep them out of the logs even when
        // LOG_LEVEL=debug, since values can be personal data or password hashes.
        var driverLogger = logger
        driverLogger.logLevel = max(logger.logLevel, .info)
        self.logger = driverLogger
        firstClient = PostgresClient(
            configuration: try PostgresConfiguration.client(location, poolSize: poolSize), backgroundLogger: driverLogger
        )
        pool = Mutex((location, firstClient))
        (laterClients, newClients) = AsyncStream.makeStream()
    }

    public var redactedLocation: String { pool.withLock { $0.location.redacted } }

    /// Runs every pool until shutdown. The first one runs in the caller's task, so it is running before the
    /// first query; pools made by `replaceLocation` run beside it.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await withDiscardingTaskGroup { later in
                    for await client in self.laterClients { later.addTask { await client.run() } }
                }
            }
            await firstClient.run()
            group.cancelAll()
        }
    }

    /// Connects to `location` once to prove it works, then sends new operations to a pool for it. Returns false when `location` is the one in use. A location that
    /// does not connect throws and changes nothing.
    @discardableResult
    public func replaceLocation(_ location: PostgresLocation) async throws -> Bool {
        guard location != pool.withLock({ $0.location }) else { return false }
        try await Self.checkConnection(location, timeout: timeout, logger: logger)
        let client = PostgresClient(configuration: try PostgresConfiguration.client(location, poolSize: poolSize), backgroundLogger: logger)
        newClients.yield(client)
        pool.withLock { $0 = (location, client) }
        logger.notice("database pool replaced", metadata: ["database": "\(location.redacted)"])
        return true
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
        try await Self.checkConnection(pool.withLock { $0.location }, timeout: timeout, logger: logger)
    }

    static func checkConnection(_ location: PostgresLocation, timeout: Duration, logger: Logger) async throws {
        let configuration = try PostgresConfiguration.connection(location)
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
        try await pool.withLock { $0.client }.withConnection { connection in
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
