import Foundation
import Logging
import Testing
import TodoCore
import TodoStorage

/// The backends every contract test runs against: SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set.
public enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteMemory, sqliteFile, postgres

    public var testDescription: String { rawValue }

    public static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"]
        return url?.isEmpty == false ? url : nil
    }

    /// CI sets REQUIRE_POSTGRES=1 so a missing database fails the run instead of silently skipping it.
    public static var available: [StoreKind] {
        if postgresURL == nil, ProcessInfo.processInfo.environment["REQUIRE_POSTGRES"] == "1" {
            fatalError("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        }
        return postgresURL == nil ? [.sqliteMemory, .sqliteFile] : allCases
    }

    public func location() throws -> DatabaseLocation {
        switch self {
        case .sqliteMemory: return .sqliteMemory
        case .sqliteFile: return .sqliteFile(path: TestFiles.temporaryPath("store.sqlite"))
        case .postgres: return try DatabaseLocation.parse(Self.postgresURL)
        }
    }
}

public enum TestFiles {
    public static func temporaryPath(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("todo-tests-\(UUID().uuidString)")
        return folder.appendingPathComponent(name).path
    }
}

public let testLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}()

/// Opens a migrated store of `kind`, runs `body`, and shuts the database down. PostgreSQL is the process's shared
/// database (`SharedPostgres`); tests keep apart there by making users of their own.
public func withStore(_ kind: StoreKind, _ body: @escaping @Sendable (SQLStore) async throws -> Void) async throws {
    if kind == .postgres { return try await body(SQLStore(database: try await SharedPostgres.database())) }
    try await DatabaseFactory.withDatabase(try kind.location(), poolSize: 4, timeout: testDatabaseDeadline, logger: testLogger) { database in
        try await Migrator(database: database).migrate()
        try await body(SQLStore(database: database))
    }
}

/// Like `withStore`, but on PostgreSQL in a database of its own, for tests that change what is shared by every user
/// of a database (the JWT signing keys).
public func withIsolatedStore(_ kind: StoreKind, _ body: @escaping @Sendable (SQLStore) async throws -> Void) async throws {
    guard kind == .postgres else { return try await withStore(kind, body) }
    try await withFreshPostgres { location in
        try await DatabaseFactory.withDatabase(location, poolSize: 2, timeout: testDatabaseDeadline, logger: testLogger) { database in
            try await Migrator(database: database).migrate()
            try await body(SQLStore(database: database))
        }
    }
}

/// A user with a unique email, so tests sharing one PostgreSQL database never collide.
public func makeUser(_ store: SQLStore, name: String = "Test") async throws -> User {
    try await store.createUser(name: name, email: "\(UUID().uuidString.lowercased())@example.com", passwordHash: "00:11")
}

/// A fresh, empty PostgreSQL database for tests that need a clean schema; dropped afterwards. Such tests take a
/// place at `postgresConnectionGate`, since each opens connections of its own.
public func withFreshPostgres(_ body: @escaping @Sendable (DatabaseLocation) async throws -> Void) async throws {
    guard StoreKind.postgresURL != nil else { return }
    let admin = try SharedPostgres.postgresLocation()
    let shared = try await SharedPostgres.database()
    let name = "todo_test_\(UUID().uuidString.prefix(8).lowercased())"
    try await postgresConnectionGate.run {
        try await shared.execute("CREATE DATABASE \(name)")
        var fresh = admin
        fresh.database = name
        do {
            try await body(.postgres(fresh))
        } catch {
            try? await shared.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
        try await shared.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

extension DatabaseFactory {
    /// Runs `body` with the database's lifecycle running beside it, then shuts the database down.
    public static func withDatabase<T: Sendable>(
        _ location: DatabaseLocation, poolSize: Int, timeout: Duration, logger: Logger,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let database = try await open(location, poolSize: poolSize, timeout: timeout, logger: logger)
        return try await withRunning(database, body)
    }
}
