import Foundation
import TodoCore

extension SQLStore {
    /// The `user` columns as the code reads them, optionally qualified with a table alias (SQLite's RETURNING takes
    /// no alias), whatever the table's naming.
    static func userColumns(_ table: AuthSchema.Table, _ alias: String = "") -> String {
        ["id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"].map { table.select($0, from: alias) }.joined(separator: ", ")
    }

    /// Better Auth 1.7's issuer of a credential account (`createLocalAccountIssuer("credential")`).
    static let credentialIssuer = "local:credential"

    public func createUser(name: String, email: String, passwordHash: String) async throws -> User {
        let normalized = EmailAddress.normalized(email)
        let userID = makeID()
        let accountID = makeID()
        let stamp = now()
        let schema = try await authSchema()
        let (u, a) = (schema.user, schema.account)
        do {
            return try await database.transaction { executor in
                let rows = try await executor.query(
                    #"""
                    INSERT INTO "user" ("id", "name", "email", \#(u.column("emailVerified")), \#(u.column("createdAt")), \#(u.column("updatedAt")))
                    VALUES ($1, $2, $3, $4, $5, $5) RETURNING \#(Self.userColumns(u))
                    """#,
                    [.text(userID), .text(name), .text(normalized), .bool(false), u.date(stamp)]
                )
                // Better Auth's credential account: accountId is the user id, the password hash lives here.
                try await executor.execute(
                    #"""
                    INSERT INTO "account" ("id", "issuer", \#(a.column("accountId")), \#(a.column("providerId")), \#(a.column("userId")), "password",
                                           \#(a.column("createdAt")), \#(a.column("updatedAt")))
                    VALUES ($1, $2, $3, 'credential', $3, $4, $5, $5)
                    """#,
                    [.text(accountID), .text(Self.credentialIssuer), .text(userID), .text(passwordHash), a.date(stamp)]
                )
                return try Self.user(from: rows[0])
            }
        } catch let error as TodoError where error == SQLError.uniqueViolation {
            throw Self.emailTaken
        }
    }

    public func user(id: String) async throws -> User? {
        let u = try await authSchema().user
        let rows = try await database.query(#"SELECT \#(Self.userColumns(u)) FROM "user" WHERE "id" = $1"#, [.text(id)])
        return try rows.first.map(Self.user(from:))
    }

    public func updateUser(id: String, name: String?, image: String??) async throws -> User {
        let u = try await authSchema().user
        var sets = ["\(u.column("updatedAt")) = $1"]
        var binds: [SQLValue] = [u.date(now())]
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
            #"UPDATE "user" SET \#(sets.joined(separator: ", ")) WHERE "id" = $\#(binds.count) RETURNING \#(Self.userColumns(u))"#, binds
        )
        guard let row = rows.first else { throw TodoError.notFound(resource: "user", id: id) }
        return try Self.user(from: row)
    }

    public func setEmail(userID: String, email: String?, verified: Bool) async throws -> User {
        let u = try await authSchema().user
        var binds: [SQLValue] = [.bool(verified), u.date(now()), .text(userID)]
        var sets = "\(u.column("emailVerified")) = $1, \(u.column("updatedAt")) = $2"
        if let email {
            binds.append(.text(EmailAddress.normalized(email)))
            sets += #", "email" = $4"#
        }
        do {
            let rows = try await database.query(
                #"UPDATE "user" SET \#(sets) WHERE "id" = $3 RETURNING \#(Self.userColumns(u))"#, binds
            )
            guard let row = rows.first else { throw TodoError.notFound(resource: "user", id: userID) }
            return try Self.user(from: row)
        } catch let error as TodoError where error == SQLError.uniqueViolation {
            throw Self.emailTaken
        }
    }

    static let emailTaken = TodoError.conflict(code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", message: "User already exists. Use another email.")

    public func setPassword(userID: String, passwordHash: String) async throws {
        let a = try await authSchema().account
        try await database.execute(
            #"UPDATE "account" SET "password" = $1, \#(a.column("updatedAt")) = $2 WHERE \#(a.column("userId")) = $3 AND \#(a.column("providerId")) = 'credential'"#,
            [.text(passwordHash), a.date(now()), .text(userID)]
        )
    }

    public func deleteUser(id: String) async throws {
        // Every table of the user's refers to it ON DELETE CASCADE (SQLite runs with foreign_keys on).
        try await countingChange(of: id) { try await database.execute(#"DELETE FROM "user" WHERE "id" = $1"#, [.text(id)]) }
    }

    public func credential(email: String) async throws -> UserCredential? {
        let normalized = EmailAddress.normalized(email)
        let schema = try await authSchema()
        let (u, a) = (schema.user, schema.account)
        let rows = try await database.query(
            #"""
            SELECT \#(Self.userColumns(u, "u")), a."password" FROM "user" u
            JOIN "account" a ON a.\#(a.column("userId")) = u."id" AND a.\#(a.column("providerId")) = 'credential'
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
