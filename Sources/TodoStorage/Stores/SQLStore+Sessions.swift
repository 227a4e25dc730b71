import Foundation
import TodoCore

extension SQLStore {
    static func sessionColumns(_ s: AuthSchema.Table) -> String {
        ["id", "token", "userId", "expiresAt", "createdAt", "updatedAt", "ipAddress", "userAgent"].map { s.select($0) }.joined(separator: ", ")
    }

    public func createSession(
        userID: String, token: String, startedAt: Date, expiresAt: Date, ipAddress: String?, userAgent: String?
    ) async throws -> Session {
        let s = try await authSchema().session
        let rows = try await database.query(
            #"""
            INSERT INTO "session" ("id", "token", \#(s.column("userId")), \#(s.column("expiresAt")), \#(s.column("createdAt")), \#(s.column("updatedAt")),
                                   \#(s.column("ipAddress")), \#(s.column("userAgent")))
            VALUES ($1, $2, $3, $4, $5, $5, $6, $7) RETURNING \#(Self.sessionColumns(s))
            """#,
            [
                .text(makeID()), .text(token), .text(userID), s.date(expiresAt), s.date(startedAt),
                .optional(ipAddress, SQLValue.text), .optional(userAgent, SQLValue.text),
            ]
        )
        return try Self.session(from: rows[0])
    }

    public func session(token: String) async throws -> AuthenticatedSession? {
        let schema = try await authSchema()
        let (s, u) = (schema.session, schema.user)
        let rows = try await database.query(
            #"""
            SELECT s."id" AS session_id, s."token", s.\#(s.column("userId")) AS "userId", s.\#(s.column("expiresAt")) AS session_expires,
                   s.\#(s.column("createdAt")) AS session_created, s.\#(s.column("updatedAt")) AS session_updated,
                   s.\#(s.column("ipAddress")) AS "ipAddress", s.\#(s.column("userAgent")) AS "userAgent", \#(Self.userColumns(u, "u"))
            FROM "session" s JOIN "user" u ON u."id" = s.\#(s.column("userId")) WHERE s."token" = $1
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
        let s = try await authSchema().session
        try await database.execute(
            #"UPDATE "session" SET \#(s.column("expiresAt")) = $1, \#(s.column("updatedAt")) = $2 WHERE "id" = $3"#,
            [s.date(expiresAt), s.date(now()), .text(id)]
        )
    }

    public func deleteSession(token: String) async throws {
        try await database.execute(#"DELETE FROM "session" WHERE "token" = $1"#, [.text(token)])
    }

    public func sessions(userID: String, now: Date) async throws -> [Session] {
        let s = try await authSchema().session
        return try await database.query(
            #"""
            SELECT \#(Self.sessionColumns(s)) FROM "session" WHERE \#(s.column("userId")) = $1 AND \#(s.column("expiresAt")) > $2
            ORDER BY \#(s.column("createdAt")) DESC, "id"
            """#,
            [.text(userID), s.date(now)]
        ).map(Self.session(from:))
    }

    public func deleteSessions(userID: String, keeping token: String?) async throws -> [String] {
        let s = try await authSchema().session
        let rows = if let token {
            try await database.query(
                #"DELETE FROM "session" WHERE \#(s.column("userId")) = $1 AND "token" <> $2 RETURNING "token""#, [.text(userID), .text(token)]
            )
        } else {
            try await database.query(#"DELETE FROM "session" WHERE \#(s.column("userId")) = $1 RETURNING "token""#, [.text(userID)])
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
