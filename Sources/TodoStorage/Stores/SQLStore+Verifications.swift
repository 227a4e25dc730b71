import Foundation
import TodoCore

extension SQLStore: VerificationStore {
    public func createVerification(identifier: String, value: String, expiresAt: Date) async throws {
        let v = try await authSchema().verification
        try await database.execute(
            #"""
            INSERT INTO "verification" ("id", "identifier", "value", \#(v.column("expiresAt")), \#(v.column("createdAt")), \#(v.column("updatedAt")))
            VALUES ($1, $2, $3, $4, $5, $5)
            """#,
            [.text(makeID()), .text(identifier), .text(value), v.date(expiresAt), v.date(now())]
        )
    }

    public func verification(identifier: String) async throws -> VerificationValue? {
        let v = try await authSchema().verification
        let rows = try await database.query(
            #"SELECT "value", \#(v.select("expiresAt")) FROM "verification" WHERE "identifier" = $1 ORDER BY \#(v.column("createdAt")) DESC LIMIT 1"#,
            [.text(identifier)]
        )
        return try rows.first.map(Self.verification(from:))
    }

    public func consumeVerification(identifier: String) async throws -> VerificationValue? {
        let v = try await authSchema().verification
        let rows = try await database.query(
            #"DELETE FROM "verification" WHERE "identifier" = $1 RETURNING "value", \#(v.select("expiresAt"))"#, [.text(identifier)]
        )
        return try rows.first.map(Self.verification(from:))
    }

    public func deleteVerifications(prefix: String, value: String) async throws {
        // The prefix is ours (a constant such as "reset-password:"), never user input, so LIKE needs no escaping.
        try await database.execute(
            #"DELETE FROM "verification" WHERE "identifier" LIKE $1 AND "value" = $2"#, [.text(prefix + "%"), .text(value)]
        )
    }

    public func purgeVerifications(expiredBefore date: Date) async throws -> Int {
        let v = try await authSchema().verification
        return try await database.query(#"DELETE FROM "verification" WHERE \#(v.column("expiresAt")) < $1 RETURNING "id""#, [v.date(date)]).count
    }

    static func verification(from row: SQLRow) throws -> VerificationValue {
        VerificationValue(value: try row.string("value"), expiresAt: try row.date("expiresAt"))
    }
}
