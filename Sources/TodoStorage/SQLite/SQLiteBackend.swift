import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TodoCore

/// The embedded store in WAL mode: one writer connection, serialised by a lock so transactions never interleave,
/// and a few read-only connections that run plain SELECTs beside it (WAL readers never wait for the writer).
/// Every statement runs on the caller's thread (see `SQLiteHandle`); a database another process holds locked is
/// waited for here, asleep, never on a thread.
public final class SQLiteBackend: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    public let redactedLocation: String
    private let writer: SQLiteHandle
    private let lock = AsyncSemaphore()
    public let timeout: Duration
    private let readerCount: Int
    /// Readers not lent out; a read that finds none (more concurrent callers than readers) goes to the writer.
    private let idleReaders: Mutex<[SQLiteHandle]>
    public let changes: ChangeTracker

    /// Read connections of a file database, one per thread that can run a request; an in-memory database is
    /// private to its one connection.
    static var readerCount: Int { min(max(ProcessInfo.processInfo.activeProcessorCount, 2), 4) }

    private init(writer: SQLiteHandle, readers: [SQLiteHandle], location: String, timeout: Duration, changes: ChangeTracker) {
        self.writer = writer
        self.readerCount = readers.count
        self.idleReaders = Mutex(readers)
        self.redactedLocation = location
        self.timeout = timeout
        self.changes = changes
    }

    /// Changes seen through SQLite's own commit count, which moves with every commit by any other connection, this
    /// process's writer or another process's (`todo-chatbot chat` on the same file): read on a connection of its
    /// own that never writes, so every commit counts. (An in-memory database is private to its one connection: nothing
    /// is cached for it.)
    private static func changeTracker(path: String) throws -> ChangeTracker {
        let sentinel = Mutex(try SQLiteHandle(path: path, writable: false))
        return ChangeTracker(
            .databaseCount {
                // Busy (another process recovering the WAL): unknown, so nothing is reused this time.
                sentinel.withLock { try? $0.query("PRAGMA data_version", []).first?.int("data_version", at: 0) }.map { UInt64(bitPattern: $0) }
            }
        )
    }

    /// Opens (and creates) the database file, creating its folder, and applies the connection settings.
    public static func open(_ location: DatabaseLocation, timeout: Duration, logger: Logger) async throws -> SQLiteBackend {
        let path: String
        switch location {
        case .sqliteMemory:
            path = ":memory:"
        case .sqliteFile(let file):
            let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
            do {
                // Owner only: the file holds session tokens that work as bearer credentials. SQLite gives its -wal
                // and -shm files the mode of the database file.
                if !FileManager.default.fileExists(atPath: folder.path) {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                }
                if !FileManager.default.fileExists(atPath: file) {
                    _ = FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o600])
                }
            } catch {
                throw TodoError.unavailable("cannot create the database folder \(folder.path): \(error.localizedDescription)")
            }
            path = file
        case .postgres:
            preconditionFailure("SQLiteBackend opened with a PostgreSQL location")
        }
        do {
            let writer = try SQLiteHandle(path: path, writable: true)
            let backend = SQLiteBackend(
                writer: writer, readers: [], location: location.redacted, timeout: timeout, changes: ChangeTracker(.none)
            )
            // WAL lets readers (ours and other processes') run beside the writer; NORMAL syncs at checkpoints only.
            // A checkpoint every 8000 pages (a WAL of up to 32 MB) rather than SQLite's 1000: each one copies the
            // pages written since the last, and a task write rewrites the same few index pages, so checkpointing an
            // eighth as often copies far fewer pages (a fifth more task writes per second). Statement journals (a
            // statement inside a transaction that must be undoable alone) in memory, not in a temporary file created
            // and deleted per statement with its pages allocated and freed each time: half again as many task writes
            // per second.
            let pragmas = [
                "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON", "PRAGMA wal_autocheckpoint = 8000",
                "PRAGMA temp_store = MEMORY",
            ]
            for pragma in pragmas {
                try await backend.query(pragma, [])
            }
            guard case .sqliteFile = location else { return backend }
            // Readers open once the file is in WAL mode (a read-only connection cannot switch it).
            let readers = try (0..<readerCount).map { _ in try SQLiteHandle(path: path, writable: false) }
            return SQLiteBackend(
                writer: writer, readers: readers, location: location.redacted, timeout: timeout,
                changes: try changeTracker(path: path)
            )
        } catch let error as TodoError {
            throw error
        } catch {
            throw TodoError.unavailable("cannot open the SQLite database \(location.redacted): \(error)")
        }
    }

    /// A plain SELECT outside a transaction goes to an idle read connection; everything else to the writer.
    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        if readerCount > 0, SQLText.startsWithSelect(sql), let reader = idleReaders.withLock({ $0.popLast() }) {
            defer { idleReaders.withLock { $0.append(reader) } }
            do {
                return try reader.query(sql, binds)
            } catch is SQLiteHandle.Busy {
                // Another process holds the file (WAL recovery): the writer's path waits for it.
            }
        }
        return try await lock.withPermit {
            try await self.patiently { try self.writer.query(sql, binds) }
        }
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await lock.withPermit {
            // IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read lock, and
            // nothing after it can be refused for a lock: only BEGIN waits for another process.
            try await self.patiently { _ = try self.writer.query("BEGIN IMMEDIATE", []) }
            do {
                let value = try await body(SQLiteTransactionExecutor(writer: self.writer))
                try await self.patiently { _ = try self.writer.query("COMMIT", []) }
                return value
            } catch {
                _ = try? self.writer.query("ROLLBACK", [])
                throw error
            }
        }
    }

    /// Runs `statement` again while another process holds the database, sleeping between tries, for up to the
    /// backend's timeout (what SQLite's busy timeout did, without blocking a thread for it).
    private func patiently<T>(_ statement: () throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(2)
        while true {
            do {
                return try statement()
            } catch is SQLiteHandle.Busy where ContinuousClock.now + pause < deadline {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(100))
            } catch is SQLiteHandle.Busy {
                throw SQLError.busy
            }
        }
    }

    public func ping() async throws {
        _ = try await withDeadline(timeout, "SQLite") { try await self.query("SELECT 1", []) }
    }

    public var poolUsage: PoolUsage { PoolUsage(size: 1 + readerCount, inUse: 0) }

    /// The connections close with the backend; nothing runs in the background.
    public func run() async throws {
        try? await gracefulShutdown()
    }
}

/// The executor handed to a transaction body; the backend's lock is already held.
struct SQLiteTransactionExecutor: SQLExecutor {
    let writer: SQLiteHandle
    var dialect: SQLDialect { .sqlite }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        do {
            return try writer.query(sql, binds)
        } catch is SQLiteHandle.Busy {
            // Not expected once BEGIN IMMEDIATE holds the write lock; worded like every other lock failure.
            throw SQLError.busy
        }
    }
}
