import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteNIO
import ServiceLifecycle
import Synchronization
import TodoCore

/// The embedded store in WAL mode: one writer connection, serialised by a lock so transactions never interleave,
/// and a few read-only connections that run plain SELECTs beside it on the caller's thread (WAL readers never
/// wait for the writer).
public final class SQLiteBackend: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    public let redactedLocation: String
    private let connection: SQLiteConnection
    private let threadPool: NIOThreadPool
    private let lock = AsyncSemaphore()
    private let timeout: Duration
    private let readerCount: Int
    /// Readers not lent out; a read that finds none (more concurrent callers than readers) goes to the writer.
    private let idleReaders: Mutex<[SQLiteReadConnection]>

    /// Read connections of a file database, one per thread that can run a request; an in-memory database is
    /// private to its one connection.
    static var readerCount: Int { min(max(ProcessInfo.processInfo.activeProcessorCount, 2), 4) }

    private init(connection: SQLiteConnection, readers: [SQLiteReadConnection], threadPool: NIOThreadPool, location: String, timeout: Duration) {
        self.connection = connection
        self.readerCount = readers.count
        self.idleReaders = Mutex(readers)
        self.threadPool = threadPool
        self.redactedLocation = location
        self.timeout = timeout
    }

    /// Opens (and creates) the database file, creating its folder, and applies the connection settings.
    public static func open(_ location: DatabaseLocation, timeout: Duration, logger: Logger) async throws -> SQLiteBackend {
        let storage: SQLiteConnection.Storage
        switch location {
        case .sqliteMemory:
            storage = .memory
        case .sqliteFile(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            do {
                // Owner only: the file holds session tokens that work as bearer credentials. SQLite gives its -wal
                // and -shm files the mode of the database file.
                if !FileManager.default.fileExists(atPath: folder.path) {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                }
                if !FileManager.default.fileExists(atPath: path) {
                    _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
                }
            } catch {
                throw TodoError.unavailable("cannot create the database folder \(folder.path): \(error.localizedDescription)")
            }
            storage = .file(path: path)
        case .postgres:
            preconditionFailure("SQLiteBackend opened with a PostgreSQL location")
        }
        // A thread of its own for the writer: SQLite blocks its thread while waiting for another process's lock,
        // and that must never starve the shared pool that other work needs.
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let writer: SQLiteConnection
        do {
            writer = try await SQLiteConnection.open(
                storage: storage, threadPool: threadPool, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
            )
        } catch {
            try? await threadPool.shutdownGracefully()
            throw TodoError.unavailable("cannot open the SQLite database \(location.redacted): \(error)")
        }
        let busy = "PRAGMA busy_timeout = \(max(timeout.totalMilliseconds, 1000))"
        // WAL lets readers (ours and other processes') run beside the writer; busy_timeout makes concurrent
        // processes (two `migrate` runs) wait for the write lock instead of failing at once.
        do {
            for pragma in [busy, "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"] {
                _ = try await run(writer, pragma, [])
            }
            // Readers open once the file is in WAL mode (a read-only connection cannot switch it).
            var readers: [SQLiteReadConnection] = []
            if case .sqliteFile(let path) = location {
                readers = try (0..<readerCount).map { _ in try SQLiteReadConnection(path: path) }
            }
            return SQLiteBackend(connection: writer, readers: readers, threadPool: threadPool, location: location.redacted, timeout: timeout)
        } catch {
            // Never handed to a backend, so nothing else will close it: a handle dropped open is a leak (and a
            // debug-build trap).
            let closed: EventLoopFuture<Void> = writer.close()
            try? await closed.get()
            try? await threadPool.shutdownGracefully()
            throw error
        }
    }

    /// Closes the handles, then the backend's threads. The future-based close ignores task cancellation.
    private func close() async {
        idleReaders.withLock { $0.removeAll() }
        let closed: EventLoopFuture<Void> = connection.close()
        try? await closed.get()
        try? await threadPool.shutdownGracefully()
    }

    deinit {
        // A backend opened but never run (its owner failed before starting it) still gives its handles back.
        guard !connection.isClosed else { return }
        let threadPool = self.threadPool
        connection.close().whenComplete { _ in threadPool.shutdownGracefully { _ in } }
    }

    /// A plain SELECT outside a transaction goes to an idle read connection; everything else to the writer.
    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        if readerCount > 0, SQLText.startsWithSelect(sql), let reader = idleReaders.withLock({ $0.popLast() }) {
            defer { idleReaders.withLock { $0.append(reader) } }
            do {
                return try reader.query(sql, binds)
            } catch is SQLiteReadConnection.Busy {
                // Another process holds the file (WAL recovery): the writer waits for it with its busy timeout.
            }
        }
        return try await lock.withPermit { try await Self.run(self.connection, sql, binds) }
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await lock.withPermit {
            // IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read lock.
            _ = try await Self.run(self.connection, "BEGIN IMMEDIATE", [])
            do {
                let value = try await body(SQLiteTransactionExecutor(connection: self.connection))
                _ = try await Self.run(self.connection, "COMMIT", [])
                return value
            } catch {
                _ = try? await Self.run(self.connection, "ROLLBACK", [])
                throw error
            }
        }
    }

    public func ping() async throws {
        _ = try await withDeadline(timeout, "SQLite") { try await self.query("SELECT 1", []) }
    }

    public var poolUsage: PoolUsage { PoolUsage(size: 1 + readerCount, inUse: 0) }

    /// Keeps the connection open until shutdown, then closes it.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    static func run(_ connection: SQLiteConnection, _ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let rows: [SQLiteRow]
        do {
            rows = try await connection.query(numberedPlaceholders(sql), binds.map(encode))
        } catch let error as SQLiteError where error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed {
            throw SQLError.uniqueViolation
        } catch let error as SQLiteError where error.reason == .busy || error.reason == .locked {
            throw TodoError.unavailable("the SQLite database is busy; try again")
        } catch let error as SQLiteError where error.message.hasPrefix("no such table") {
            throw SQLError.schemaMissing(error.message)
        }
        // Every row of a result has the same columns: one array of names, shared by all of them.
        guard let first = rows.first else { return [] }
        let names = first.columns.map(\.name)
        return rows.map { decode($0, names: names) }
    }

    /// SQLite reads `$1` as a named parameter numbered by first appearance; `?1` is numbered by its digits.
    static func numberedPlaceholders(_ sql: String) -> String {
        guard sql.utf8.contains(UInt8(ascii: "$")) else { return sql }
        var bytes = Array(sql.utf8)
        for index in bytes.indices where bytes[index] == UInt8(ascii: "$") {
            if index + 1 < bytes.count, (48...57).contains(bytes[index + 1]) { bytes[index] = UInt8(ascii: "?") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func encode(_ value: SQLValue) -> SQLiteData {
        switch value {
        case .null: .null
        case .int(let value): .integer(Int(value))
        case .double(let value): .float(value)
        case .text(let value), .json(let value): .text(value)
        case .bool(let value): .integer(value ? 1 : 0)
        case .date(let value): .text(Timestamp.format(value))
        }
    }

    static func decode(_ row: SQLiteRow, names: [String]) -> SQLRow {
        SQLRow(
            names: names,
            values: row.columns.map { column in
                switch column.data {
                case .integer(let value): .int(Int64(value))
                case .float(let value): .double(value)
                case .text(let value): .text(value)
                case .blob(let buffer): .text(String(buffer: buffer))
                case .null: .null
                }
            }
        )
    }
}

/// The executor handed to a transaction body; the backend's lock is already held.
struct SQLiteTransactionExecutor: SQLExecutor {
    let connection: SQLiteConnection
    var dialect: SQLDialect { .sqlite }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await SQLiteBackend.run(connection, sql, binds)
    }
}
