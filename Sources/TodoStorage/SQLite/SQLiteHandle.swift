import CSQLiteSettings
import Foundation
import TodoCore
import VaporCSQLite

/// A connection driven through SQLite's C API on the caller's thread, keeping its prepared statements.
///
/// Why not SQLiteNIO: it prepares every statement again and runs it on a thread pool, so each statement paid a
/// parse and two thread switches, which cost more than the statement itself (a page of 50 tasks is served from the
/// page cache in microseconds, and a WAL commit is a write(2) without fsync). Nothing here waits for a lock:
/// connections have no busy timeout, so a database locked by another process answers SQLITE_BUSY at once, which
/// becomes `SQLiteHandle.Busy`; the backend then waits without holding a thread and tries again.
/// Not thread-safe: the backend lends each connection to one caller at a time.
final class SQLiteHandle: @unchecked Sendable {
    /// The statement could not start because the database was locked; nothing was applied, try again.
    struct Busy: Error {}

    private let handle: OpaquePointer
    private var statements: [String: Prepared] = [:]

    /// A statement kept across calls, with its result's column names (shared by every row it returns) as of its
    /// last preparation: SQLite prepares a kept statement again by itself after a schema change.
    private struct Prepared {
        let statement: OpaquePointer
        var names: [String]
        var preparations: Int32
    }

    /// More distinct statements than this (task filters combine into many) and the cache starts over.
    static let statementLimit = 128

    /// Opens `path` (`:memory:` for a private in-memory database); a writable one is created when missing.
    init(path: String, writable: Bool) throws {
        var handle: OpaquePointer?
        let access = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, access | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "out of memory"
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw TodoError.unavailable("cannot open the SQLite database: \(message)")
        }
        self.handle = handle
        // Bound values must not steer the plan: otherwise SQLite prepares a kept statement again whenever a bound
        // value could bear on a partial index, which is on every call of the task list.
        let stable = todo_sqlite_enable_stable_plans(UnsafeMutableRawPointer(handle))
        guard stable == SQLITE_OK else {
            sqlite_nio_sqlite3_close_v2(handle)
            throw TodoError.unavailable("cannot configure the SQLite connection (status \(stable))")
        }
    }

    deinit {
        for prepared in statements.values { sqlite_nio_sqlite3_finalize(prepared.statement) }
        sqlite_nio_sqlite3_close_v2(handle)
    }

    /// Runs one statement (with `$N` placeholders) and returns its rows.
    func query(_ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
        var prepared = try prepare(sql)
        let statement = prepared.statement
        // Reset even after an error: a statement left mid-step holds its read snapshot open, which would show
        // this connection old data and keep the WAL from being checkpointed.
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        for (offset, value) in binds.enumerated() {
            try check(bind(value, at: Int32(offset + 1), of: statement))
        }
        var rows: [SQLRow] = []
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return rows }
            guard status == SQLITE_ROW else { try check(status); return rows }
            if rows.isEmpty, Self.preparations(of: statement) != prepared.preparations {
                // Prepared again during this step (the schema changed): `SELECT *` may have other columns now.
                prepared = Self.described(statement)
                statements[sql] = prepared
            }
            let width = prepared.names.count
            var values: [SQLValue] = []
            values.reserveCapacity(width)
            for column in 0..<Int32(width) { values.append(value(of: statement, at: column)) }
            rows.append(SQLRow(names: prepared.names, values: values))
        }
    }

    private func prepare(_ sql: String) throws -> Prepared {
        if let prepared = statements[sql] { return prepared }
        if statements.count >= Self.statementLimit {
            for prepared in statements.values { sqlite_nio_sqlite3_finalize(prepared.statement) }
            statements.removeAll(keepingCapacity: true)
        }
        var statement: OpaquePointer?
        let text = Self.numberedPlaceholders(sql)
        try check(sqlite_nio_sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil))
        guard let statement else { throw TodoError.unavailable("SQLite returned no statement for a query") }
        let prepared = Self.described(statement)
        statements[sql] = prepared
        return prepared
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

    private static func described(_ statement: OpaquePointer) -> Prepared {
        let names = (0..<sqlite_nio_sqlite3_column_count(statement)).map { column in
            sqlite_nio_sqlite3_column_name(statement, column).map { String(cString: $0) } ?? ""
        }
        return Prepared(statement: statement, names: names, preparations: preparations(of: statement))
    }

    private static func preparations(of statement: OpaquePointer) -> Int32 {
        sqlite_nio_sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_REPREPARE, 0)
    }

    private func bind(_ value: SQLValue, at index: Int32, of statement: OpaquePointer) -> Int32 {
        switch value {
        case .null: return sqlite_nio_sqlite3_bind_null(statement, index)
        case .int(let value): return sqlite_nio_sqlite3_bind_int64(statement, index, value)
        case .double(let value): return sqlite_nio_sqlite3_bind_double(statement, index, value)
        case .bool(let value): return sqlite_nio_sqlite3_bind_int64(statement, index, value ? 1 : 0)
        case .text(let text), .json(let text): return bindText(text, at: index, of: statement)
        case .date(let date): return bindText(Timestamp.format(date), at: index, of: statement)
        }
    }

    private func bindText(_ text: String, at index: Int32, of statement: OpaquePointer) -> Int32 {
        sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), SQLiteTransient.destructor, UInt8(SQLITE_UTF8))
    }

    private func value(of statement: OpaquePointer, at column: Int32) -> SQLValue {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .int(sqlite_nio_sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .double(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_NULL: return .null
        default:
            // TEXT (and BLOB, which we never store) as UTF-8; the length comes first so embedded NULs survive.
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .null }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        }
    }

    private func check(_ status: Int32) throws {
        guard status != SQLITE_OK else { return }
        let primary = status & 0xFF
        if primary == SQLITE_BUSY || primary == SQLITE_LOCKED { throw Busy() }
        // SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY (extended codes are macros Swift cannot import).
        if status == SQLITE_CONSTRAINT | (8 << 8) || status == SQLITE_CONSTRAINT | (6 << 8) { throw SQLError.uniqueViolation }
        let message = String(cString: sqlite_nio_sqlite3_errmsg(handle))
        if message.hasPrefix("no such table") { throw SQLError.schemaMissing(message) }
        throw SQLiteFailure(status: status, message: message)
    }
}

/// A statement SQLite refused (a constraint, a type, a full disk): a bug or an operator's problem, never the
/// client's, so it is not worded for them.
struct SQLiteFailure: Error, CustomStringConvertible {
    let status: Int32
    let message: String
    var description: String { "SQLite error \(status): \(message)" }
}

/// SQLite's `SQLITE_TRANSIENT` (a macro Swift cannot import): SQLite copies bound text before the call returns.
private enum SQLiteTransient {
    static let destructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
