import Foundation
import TodoCore

extension SQLStore: VerificationStore {
    public func createVerification(identifier: String, value: String, expiresAt: Date) async throws {
        try await database.execute(
            #"INSERT INTO "verification" ("id", "identifier", "value", "expiresAt", "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $5)"#,
            [.text(makeID()), .text(identifier), .text(value), .date(expiresAt), .date(now())]
        )
    }

    public func verification(identifier: String) async throws -> VerificationValue? {
        let rows = try await database.query(
            #"SELECT "value", "expiresAt" FROM "verification" WHERE "identifier" = $1 ORDER BY "createdAt" DESC LIMIT 1"#,
            [.text(identifier)]
        )
        return try rows.first.map(Self.verification(from:))
    }

    public func consumeVerification(identifier: String) async throws -> VerificationValue? {
        let rows = try await database.query(
            #"DELETE FROM "verification" WHERE "identifier" = $1 RETURNING "value", "expiresAt""#, [.text(identifier)]
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
        try await database.query(#"DELETE FROM "verification" WHERE "expiresAt" < $1 RETURNING "id""#, [.date(date)]).count
    }

    static func verification(from row: SQLRow) throws -> VerificationValue {
        VerificationValue(value: try row.string("value"), expiresAt: try row.date("expiresAt"))
    }
}
