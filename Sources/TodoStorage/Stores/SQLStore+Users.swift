import Foundation
import TodoCore

extension SQLStore {
    static let userColumns = #"u."id", u."name", u."email", u."emailVerified", u."image", u."createdAt", u."updatedAt""#

    public func createUser(name: String, email: String, passwordHash: String) async throws -> User {
        let normalized = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let user = User(id: makeID(), name: name, email: normalized, createdAt: now(), updatedAt: now())
        let accountID = makeID()
        do {
            try await database.transaction { executor in
                try await executor.execute(
                    #"INSERT INTO "user" ("id", "name", "email", "emailVerified", "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $5)"#,
                    [.text(user.id), .text(user.name), .text(user.email), .bool(false), .date(user.createdAt)]
                )
                // Better Auth's credential account: accountId is the user id, the password hash lives here.
                try await executor.execute(
                    #"INSERT INTO "account" ("id", "accountId", "providerId", "userId", "password", "createdAt", "updatedAt") VALUES ($1, $2, 'credential', $2, $3, $4, $4)"#,
                    [.text(accountID), .text(user.id), .text(passwordHash), .date(user.createdAt)]
                )
            }
        } catch SQLError.uniqueViolation {
            throw TodoError.conflict(code: "USER_ALREADY_EXISTS", message: "User already exists. Use another email.")
        }
        return user
    }

    public func user(id: String) async throws -> User? {
        let rows = try await database.query(#"SELECT \#(Self.userColumns) FROM "user" u WHERE u."id" = $1"#, [.text(id)])
        return try rows.first.map(Self.user(from:))
    }

    public func credential(email: String) async throws -> UserCredential? {
        let normalized = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let rows = try await database.query(
            #"""
            SELECT \#(Self.userColumns), a."password" FROM "user" u
            JOIN "account" a ON a."userId" = u."id" AND a."providerId" = 'credential'
            WHERE u."email" = $1 AND a."password" IS NOT NULL
            """#,
            [.text(normalized)]
        )
        guard let row = rows.first else { return nil }
        return UserCredential(user: try Self.user(from: row), passwordHash: try row.string("password"))
    }

    static func user(from row: SQLRow) throws -> User {
        User(
            id: try row.string("id"), name: try row.string("name"), email: try row.string("email"),
            emailVerified: try row.bool("emailVerified"), image: row.optionalString("image"),
            createdAt: try row.date("createdAt"), updatedAt: try row.date("updatedAt")
        )
    }
}
