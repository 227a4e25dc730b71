import Foundation
import TodoCore

extension SQLStore {
    /// The `user` columns, optionally qualified with a table alias (SQLite's RETURNING takes no alias).
    static func userColumns(_ alias: String = "") -> String {
        let prefix = alias.isEmpty ? "" : alias + "."
        return ["id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"]
            .map { "\(prefix)\"\($0)\"" }.joined(separator: ", ")
    }

    public func createUser(name: String, email: String, passwordHash: String) async throws -> User {
        let normalized = EmailAddress.normalized(email)
        let userID = makeID()
        let accountID = makeID()
        let stamp = now()
        do {
            return try await database.transaction { executor in
                let rows = try await executor.query(
                    #"INSERT INTO "user" ("id", "name", "email", "emailVerified", "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $5) RETURNING \#(Self.userColumns())"#,
                    [.text(userID), .text(name), .text(normalized), .bool(false), .date(stamp)]
                )
                // Better Auth's credential account: accountId is the user id, the password hash lives here.
                try await executor.execute(
                    #"INSERT INTO "account" ("id", "accountId", "providerId", "userId", "password", "createdAt", "updatedAt") VALUES ($1, $2, 'credential', $2, $3, $4, $4)"#,
                    [.text(accountID), .text(userID), .text(passwordHash), .date(stamp)]
                )
                return try Self.user(from: rows[0])
            }
        } catch let error as TodoError where error == SQLError.uniqueViolation {
            throw Self.emailTaken
        }
    }

    public func user(id: String) async throws -> User? {
        let rows = try await database.query(#"SELECT \#(Self.userColumns()) FROM "user" WHERE "id" = $1"#, [.text(id)])
        return try rows.first.map(Self.user(from:))
    }

    public func updateUser(id: String, name: String?, image: String??) async throws -> User {
        var sets = [#""updatedAt" = $1"#]
        var binds: [SQLValue] = [.date(now())]
        if let name {
            binds.append(.text(name))
            sets.append(#""name" = $\#(binds.count)"#)
        }
        if let image {
            binds.append(.optional(image, SQLValue.text))
            sets.append(#""image" = $\#(binds.count)"#)
        }
        binds.append(.text(id))
        let rows = try await database.query(
            #"UPDATE "user" SET \#(sets.joined(separator: ", ")) WHERE "id" = $\#(binds.count) RETURNING \#(Self.userColumns())"#, binds
        )
        guard let row = rows.first else { throw TodoError.notFound(resource: "user", id: id) }
        return try Self.user(from: row)
    }

    public func setEmail(userID: String, email: String?, verified: Bool) async throws -> User {
        var binds: [SQLValue] = [.bool(verified), .date(now()), .text(userID)]
        var sets = #""emailVerified" = $1, "updatedAt" = $2"#
        if let email {
            binds.append(.text(EmailAddress.normalized(email)))
            sets += #", "email" = $4"#
        }
        do {
            let rows = try await database.query(
                #"UPDATE "user" SET \#(sets) WHERE "id" = $3 RETURNING \#(Self.userColumns())"#, binds
            )
            guard let row = rows.first else { throw TodoError.notFound(resource: "user", id: userID) }
            return try Self.user(from: row)
        } catch let error as TodoError where error == SQLError.uniqueViolation {
            throw Self.emailTaken
        }
    }

    static let emailTaken = TodoError.conflict(code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", message: "User already exists. Use another email.")

    public func setPassword(userID: String, passwordHash: String) async throws {
        try await database.execute(
            #"UPDATE "account" SET "password" = $1, "updatedAt" = $2 WHERE "userId" = $3 AND "providerId" = 'credential'"#,
            [.text(passwordHash), .date(now()), .text(userID)]
        )
    }

    public func deleteUser(id: String) async throws {
        // Every table of the user's refers to it ON DELETE CASCADE (SQLite runs with foreign_keys on).
        try await database.execute(#"DELETE FROM "user" WHERE "id" = $1"#, [.text(id)])
    }

    public func credential(email: String) async throws -> UserCredential? {
        let normalized = EmailAddress.normalized(email)
        let rows = try await database.query(
            #"""
            SELECT \#(Self.userColumns("u")), a."password" FROM "user" u
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
