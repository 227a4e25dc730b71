import Foundation
import TodoCore

extension SQLStore {
    static let sessionColumns = #""id", "token", "userId", "expiresAt", "createdAt", "updatedAt", "ipAddress", "userAgent""#

    public func createSession(
        userID: String, token: String, startedAt: Date, expiresAt: Date, ipAddress: String?, userAgent: String?
    ) async throws -> Session {
        let rows = try await database.query(
            #"""
            INSERT INTO "session" ("id", "token", "userId", "expiresAt", "createdAt", "updatedAt", "ipAddress", "userAgent")
            VALUES ($1, $2, $3, $4, $5, $5, $6, $7) RETURNING \#(Self.sessionColumns)
            """#,
            [
                .text(makeID()), .text(token), .text(userID), .date(expiresAt), .date(startedAt),
                .optional(ipAddress, SQLValue.text), .optional(userAgent, SQLValue.text),
            ]
        )
        return try Self.session(from: rows[0])
    }

    public func session(token: String) async throws -> AuthenticatedSession? {
        let rows = try await database.query(
            #"""
            SELECT s."id" AS session_id, s."token", s."userId", s."expiresAt" AS session_expires,
                   s."createdAt" AS session_created, s."updatedAt" AS session_updated, s."ipAddress", s."userAgent",
                   \#(Self.userColumns("u"))
            FROM "session" s JOIN "user" u ON u."id" = s."userId" WHERE s."token" = $1
            """#,
            [.text(token)]
        )
        guard let row = rows.first else { return nil }
        let session = Session(
            id: try row.string("session_id"), token: try row.string("token"), userID: try row.string("userId"),
            expiresAt: try row.date("session_expires"), createdAt: try row.date("session_created"),
            updatedAt: try row.date("session_updated"), ipAddress: row.optionalString("ipAddress"),
            userAgent: row.optionalString("userAgent")
        )
        return AuthenticatedSession(session: session, user: try Self.user(from: row))
    }

    public func extendSession(id: String, expiresAt: Date) async throws {
        try await database.execute(
            #"UPDATE "session" SET "expiresAt" = $1, "updatedAt" = $2 WHERE "id" = $3"#,
            [.date(expiresAt), .date(now()), .text(id)]
        )
    }

    public func deleteSession(token: String) async throws {
        try await database.execute(#"DELETE FROM "session" WHERE "token" = $1"#, [.text(token)])
    }

    public func sessions(userID: String, now: Date) async throws -> [Session] {
        try await database.query(
            #"SELECT \#(Self.sessionColumns) FROM "session" WHERE "userId" = $1 AND "expiresAt" > $2 ORDER BY "createdAt" DESC, "id""#,
            [.text(userID), .date(now)]
        ).map(Self.session(from:))
    }

    public func deleteSessions(userID: String, keeping token: String?) async throws -> [String] {
        let rows = if let token {
            try await database.query(#"DELETE FROM "session" WHERE "userId" = $1 AND "token" <> $2 RETURNING "token""#, [.text(userID), .text(token)])
        } else {
            try await database.query(#"DELETE FROM "session" WHERE "userId" = $1 RETURNING "token""#, [.text(userID)])
        }
        return try rows.map { try $0.string("token") }
    }

    static func session(from row: SQLRow) throws -> Session {
        Session(
            id: try row.string("id"), token: try row.string("token"), userID: try row.string("userId"),
            expiresAt: try row.date("expiresAt"), createdAt: try row.date("createdAt"), updatedAt: try row.date("updatedAt"),
            ipAddress: row.optionalString("ipAddress"), userAgent: row.optionalString("userAgent")
        )
    }
}
