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
    public let timeout: Duration
    private let poolSize: Int
    private let inUse = Atomic<Int>(0)
    private let logger: Logger
    /// Other replicas' task writes, as `TaskChangeListener` hears of them.
    public let changes = ChangeTracker(.confirmed)
    /// Set while the database refuses connections; requests then fail at once.
    nonisolated(unsafe) private var outages: OutageGuard!

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
        let probeLogger = driverLogger
        outages = OutageGuard(
            logger: probeLogger,
            // Weak: a recovery loop may outlive the backend; once it is gone there is nothing left to probe for.
            attempt: { [weak self] in
                guard let location = self?.pool.withLock({ $0.location }) else { return .answered }
                return await Self.probe(location, timeout: timeout, logger: probeLogger)
            },
            recovered: { [weak self] in self?.renewPool() }
        )
    }

    /// A fresh pool for the same location after an outage: the old one may be deep in its reconnect backoff, and
    /// requests must not wait for it once the database answers again.
    private func renewPool() {
        let location = pool.withLock { $0.location }
        guard let configuration = try? PostgresConfiguration.client(location, poolSize: poolSize) else { return }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        newClients.yield(client)
        pool.withLock { $0 = (location, client) }
    }

    /// One direct connection under the deadline: answered, refused (with the reason), or silent (a stall).
    static func probe(_ location: PostgresLocation, timeout: Duration, logger: Logger) async -> OutageGuard.ProbeResult {
        let result = try? await withDeadline(timeout, "PostgreSQL") { () async -> OutageGuard.ProbeResult in
            do {
                try await connectOnce(location, logger: logger)
                return .answered
            } catch {
                let translated = PostgresErrors.translate(error)
                return .refused((translated as? TodoError)?.message ?? "\(translated)")
            }
        }
        return result ?? .silent
    }

    public var redactedLocation: String { pool.withLock { $0.location.redacted } }

    /// Runs every pool until shutdown, and the task change feed beside them. The first pool runs in the caller's
    /// task, so it is running before the first query; pools made by `replaceLocation` run beside it.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await withDiscardingTaskGroup { later in
                    for await client in self.laterClients { later.addTask { await client.run() } }
                }
            }
            group.addTask {
                await TaskChangeListener(tracker: self.changes, location: { self.pool.withLock { $0.location } }, logger: self.logger).run()
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
        // Pages cached from the old database say nothing about the new one; the feed follows it from now on.
        changes.lost()
        changes.changedEverything()
        outages.clear()
        logger.notice("database pool replaced", metadata: ["database": "\(location.redacted)"])
        return true
    }

    public var poolUsage: PoolUsage { PoolUsage(size: poolSize, inUse: inUse.load(ordering: .relaxed)) }

    /// Runs one statement. After a lost connection it runs again only if that cannot apply it twice: when it is a
    /// read, or when the connection was lost before the statement was sent. A write that may have reached the
    /// server is a 503 (`SQLError.outcomeUnknown`), never a silent second execution.
    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        // A plain SELECT (no row locks): running it twice changes nothing.
        let repeatable = SQLText.isPlainSelect(sql)
        return try await resilient { attempt in
            try await self.leased { connection in
                attempt.sent.set()
                return try await Self.run(connection, sql, binds, self.logger)
            }
        } mayRetry: { attempt in
            repeatable || !attempt.sent.isSet
        }
    }

    /// Runs `body` in a transaction. A connection lost before COMMIT was sent rolls the transaction back on the
    /// server, so it runs again once; a lost COMMIT is `SQLError.outcomeUnknown` and never runs again.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await resilient { _ in
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
                    throw SQLError.outcomeUnknown
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
        try await withDeadline(timeout, "PostgreSQL") {
            do {
                try await connectOnce(location, logger: logger)
            } catch {
                throw PostgresErrors.translate(error)
            }
        }
    }

    private static func connectOnce(_ location: PostgresLocation, logger: Logger) async throws {
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: try PostgresConfiguration.connection(location), id: 0,
            logger: logger
        ).get()
        do {
            try await connection.query("SELECT 1", logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    private func leased<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await pool.withLock { $0.client }.withConnection { connection in
            self.inUse.add(1, ordering: .relaxed)
            defer { self.inUse.subtract(1, ordering: .relaxed) }
            return try await body(connection)
        }
    }

    /// What one attempt did before it failed.
    struct Attempt: Sendable {
        /// Set once the statement went to the server.
        let sent = OnceFlag()
    }

    /// One deadline per attempt, and one retry when the connection was lost (the database restarted or resumed
    /// from suspend) and `mayRetry` allows it; after that the caller sees `TodoError.unavailable`, which the API
    /// maps to 503.
    private func resilient<T: Sendable>(
        _ operation: @escaping @Sendable (Attempt) async throws -> T, mayRetry: @Sendable (Attempt) -> Bool = { _ in true }
    ) async throws -> T {
        if let outage = outages.outage { throw outage }
        let first = Attempt()
        do {
            return try await withDeadline(timeout, "PostgreSQL", checkpoint: outages.checkpoint) { try await operation(first) }
        } catch let error where PostgresErrors.isConnectionLoss(error) {
            guard mayRetry(first) else {
                logger.warning("database connection lost during a write; not repeated")
                throw SQLError.outcomeUnknown
            }
            logger.warning("database connection lost; retrying once")
            do {
                let second = Attempt()
                return try await withDeadline(timeout, "PostgreSQL", checkpoint: outages.checkpoint) { try await operation(second) }
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
        // Every row has the same columns: one array of names, shared by all of them.
        var names: [String]?
        for try await row in rows {
            let shared = names ?? row.map(\.columnName)
            names = shared
            result.append(try PostgresValues.row(row, names: shared))
        }
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
