import Foundation
import TodoCore

/// The `TodoStore` over any `SQLDatabase`: the same statements serve SQLite and PostgreSQL.
public struct SQLStore: TodoStore {
    public let database: any SQLDatabase
    let now: @Sendable () -> Date
    let makeID: @Sendable () -> String

    /// - Parameters:
    ///   - now: the clock, injectable for tests.
    ///   - makeID: generates text ids for Better Auth rows.
    public init(
        database: any SQLDatabase, now: @escaping @Sendable () -> Date = Date.init,
        makeID: @escaping @Sendable () -> String = SQLStore.randomID
    ) {
        self.database = database
        self.now = now
        self.makeID = makeID
    }

    public func ping() async throws {
        try await database.ping()
    }

    /// A 32-character alphanumeric id, the shape Better Auth generates.
    @Sendable public static func randomID() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] }, as: UTF8.self)
    }
}

extension SQLExecutor {
    /// ` FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises writers.
    var rowLock: String { dialect == .postgres ? " FOR UPDATE" : "" }
    /// Case-insensitive LIKE: PostgreSQL's LIKE is case-sensitive, SQLite's is not for ASCII.
    var caseInsensitiveLike: String { dialect == .postgres ? "ILIKE" : "LIKE" }
}
