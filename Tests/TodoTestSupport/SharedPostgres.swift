import Foundation
import Logging
import ServiceLifecycle
import TodoCore
import TodoStorage

/// How long a test waits for the database before calling it a hang. It only guards against hangs: on a busy
/// machine a first TLS handshake or a migration may take seconds, and a test must not fail for that.
public let testDatabaseDeadline: Duration = .seconds(60)

/// The PostgreSQL database the whole test process shares: one pool, opened and migrated once, never closed
/// (it ends with the process). Tests keep apart by making their own users, so sharing costs them nothing, and the
/// first seconds of a run no longer open dozens of TLS connections and queue on the migration lock.
public enum SharedPostgres {
    private static let opened = Task<any SQLDatabase, any Error> {
        let backend = try PostgresBackend(
            try postgresLocation(), poolSize: 8, timeout: testDatabaseDeadline, logger: testLogger
        )
        Task.detached { try? await backend.run() }
        try await Migrator(database: backend).migrate()
        return backend
    }

    /// The migrated shared database; fails the calling test when `TEST_DATABASE_URL` is not set.
    public static func database() async throws -> any SQLDatabase {
        try await opened.value
    }

    /// The shared database as a service an app may run and stop without closing the pool the process owns.
    public static func borrowed() async throws -> any SQLDatabase {
        BorrowedDatabase(base: try await database())
    }

    static func postgresLocation() throws -> PostgresLocation {
        guard case .postgres(let location) = try StoreKind.postgres.location() else {
            throw TodoError.unavailable("TEST_DATABASE_URL is not a PostgreSQL URL")
        }
        return location
    }
}

/// Tests that open connections of their own (fresh databases, subprocesses, pools with special settings) take a
/// place here first, so only a few of them connect at once.
public let postgresConnectionGate = AsyncGate(places: 3)

/// A counting semaphore for async code: at most `places` bodies run at once, the others wait in order.
public actor AsyncGate {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(places: Int) { free = places }

    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// Forwards to a database someone else runs: `run()` only waits for shutdown, so stopping an app that was given
/// this leaves the shared pool open.
struct BorrowedDatabase: SQLDatabase {
    let base: any SQLDatabase

    var dialect: SQLDialect { base.dialect }
    var poolUsage: PoolUsage { base.poolUsage }
    var timeout: Duration { base.timeout }
    var redactedLocation: String { base.redactedLocation }
    var changes: ChangeTracker { base.changes }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] { try await base.query(sql, binds) }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await base.transaction(body)
    }

    func ping() async throws { try await base.ping() }

    func run() async throws {
        let (shutdown, signal) = AsyncStream<Void>.makeStream()
        await withGracefulShutdownHandler {
            for await _ in shutdown {}
        } onGracefulShutdown: {
            signal.finish()
        }
    }
}
