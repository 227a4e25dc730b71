import Foundation
import TodoCore

extension SQLStore {
    // A fixed key for pg_advisory_xact_lock, apart from the migrations' own.
    static let signingKeyLock: Int64 = 7_315_620_002

    public func signingKeys() async throws -> [StoredSigningKey] {
        try await Self.signingKeys(in: database)
    }

    public func addSigningKey(_ key: StoredSigningKey) async throws {
        try await Self.insert(key, in: database)
    }

    public func addSigningKey(_ key: StoredSigningKey, unless present: @escaping @Sendable ([StoredSigningKey]) -> Bool) async throws -> Bool {
        try await database.transaction { sql in
            // SQLite's transactions take the write lock at BEGIN; PostgreSQL needs a lock of its own, since two
            // replicas could both read an empty table before either inserts.
            if sql.dialect == .postgres { try await sql.execute("SELECT pg_advisory_xact_lock($1)", [.int(Self.signingKeyLock)]) }
            if present(try await Self.signingKeys(in: sql)) { return false }
            try await Self.insert(key, in: sql)
            return true
        }
    }

    static func signingKeys(in sql: any SQLExecutor) async throws -> [StoredSigningKey] {
        try await sql.query(
            #"SELECT "id", "publicKey", "privateKey", "createdAt", "expiresAt" FROM signing_keys ORDER BY "createdAt" DESC, "id""#, []
        ).map { row in
            StoredSigningKey(
                id: try row.string("id"), publicKey: try row.string("publicKey"), privateKey: try row.string("privateKey"),
                createdAt: try row.date("createdAt"), expiresAt: row.optionalDate("expiresAt")
            )
        }
    }

    static func insert(_ key: StoredSigningKey, in sql: any SQLExecutor) async throws {
        try await sql.execute(
            #"INSERT INTO signing_keys ("id", "publicKey", "privateKey", "createdAt", "expiresAt") VALUES ($1, $2, $3, $4, $5)"#,
            [.text(key.id), .text(key.publicKey), .text(key.privateKey), .date(key.createdAt), .optional(key.expiresAt, SQLValue.date)]
        )
    }

    public func retireSigningKeys(except id: String, expiresAt: Date) async throws {
        try await database.execute(
            #"UPDATE signing_keys SET "expiresAt" = $1 WHERE "id" <> $2 AND ("expiresAt" IS NULL OR "expiresAt" > $1)"#,
            [.date(expiresAt), .text(id)]
        )
    }

    public func deleteSigningKeys(expiredBefore date: Date) async throws {
        try await database.execute(#"DELETE FROM signing_keys WHERE "expiresAt" IS NOT NULL AND "expiresAt" <= $1"#, [.date(date)])
    }
}
