import Foundation
import TodoCore

/// Every store protocol over any `SQLDatabase`: the same statements serve SQLite and PostgreSQL.
public struct SQLStore: TaskStore, UserStore, SessionStore, SigningKeyStore, RateLimitStore, ConversationStore, MCPSessionStore {
    public let database: any SQLDatabase
    let now: @Sendable () -> Date
    let makeID: @Sendable () -> String

    /// - Parameters:
    ///   - now: the clock, injectable for tests.
    ///   - makeID: generates text ids for Better Auth rows.
    public init(
        database: any SQLDatabase, now: @escaping @Sendable () -> Date = Date.init,
        makeID: @escaping @Sendable () -> String = { RandomID.make() }
    ) {
        self.database = database
        self.now = now
        self.makeID = makeID
    }
}

extension SQLExecutor {
    /// ` FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises writers.
    var rowLock: String { dialect == .postgres ? " FOR UPDATE" : "" }
    /// Case-insensitive LIKE: PostgreSQL's LIKE is case-sensitive, SQLite's is not for ASCII.
    var caseInsensitiveLike: String { dialect == .postgres ? "ILIKE" : "LIKE" }
}
