import Foundation
import TodoCore

extension SQLStore {
    public func signingKeys() async throws -> [StoredSigningKey] {
        try await database.query(
            #"SELECT "id", "publicKey", "privateKey", "createdAt", "expiresAt" FROM "jwks" ORDER BY "createdAt" DESC, "id""#, []
        ).map { row in
            StoredSigningKey(
                id: try row.string("id"), publicKey: try row.string("publicKey"), privateKey: try row.string("privateKey"),
                createdAt: try row.date("createdAt"), expiresAt: row.optionalDate("expiresAt")
            )
        }
    }

    public func addSigningKey(_ key: StoredSigningKey) async throws {
        try await database.execute(
            #"INSERT INTO "jwks" ("id", "publicKey", "privateKey", "createdAt", "expiresAt") VALUES ($1, $2, $3, $4, $5)"#,
            [.text(key.id), .text(key.publicKey), .text(key.privateKey), .date(key.createdAt), .optional(key.expiresAt, SQLValue.date)]
        )
    }

    public func retireSigningKeys(except id: String, expiresAt: Date) async throws {
        try await database.execute(
            #"UPDATE "jwks" SET "expiresAt" = $1 WHERE "id" <> $2 AND ("expiresAt" IS NULL OR "expiresAt" > $1)"#,
            [.date(expiresAt), .text(id)]
        )
    }

    public func deleteSigningKeys(expiredBefore date: Date) async throws {
        try await database.execute(#"DELETE FROM "jwks" WHERE "expiresAt" IS NOT NULL AND "expiresAt" <= $1"#, [.date(date)])
    }
}
