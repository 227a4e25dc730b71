import Foundation
import Synchronization
import Testing
import TodoAuth
import TodoCore
import TodoStorage
import TodoTestSupport

/// Databases Better Auth made before us: its own migrate's 1.7 schema (camelCase, `account.issuer`, `jwks.alg`) and
/// its Drizzle generator's (snake_case; on SQLite, dates as integer milliseconds). Each gets `migrate`, then
/// sign-up, sign-in of the user Better Auth wrote, and the account lifecycle.
@Suite struct ExistingBetterAuthDatabaseTests {
    /// Collects what would be mailed; the links carry the tokens.
    final class Outbox: Mailer {
        let sent = Mutex<[MailMessage]>([])
        func submit(_ message: MailMessage) { sent.withLock { $0.append(message) } }
        var lastLink: String { sent.withLock { $0.last?.link ?? "" } }
    }

    enum Layout: String, CaseIterable { case betterAuth17, drizzle }

    static func ddl(_ layout: Layout, postgres: Bool) -> [String] {
        let date = postgres ? (layout == .drizzle ? "timestamp" : "timestamptz") : (layout == .drizzle ? "integer" : "date")
        let flag = postgres ? "boolean" : "integer"
        let c: (String) -> String = { layout == .drizzle ? Self.snake($0) : $0 }
        return [
            #"create table "user" ("id" text not null primary key, "name" text not null, "email" text not null unique, "\#(c("emailVerified"))" \#(flag) not null, "image" text, "\#(c("createdAt"))" \#(date) not null, "\#(c("updatedAt"))" \#(date) not null)"#,
            #"create table "session" ("id" text not null primary key, "\#(c("expiresAt"))" \#(date) not null, "token" text not null unique, "\#(c("createdAt"))" \#(date) not null, "\#(c("updatedAt"))" \#(date) not null, "\#(c("ipAddress"))" text, "\#(c("userAgent"))" text, "\#(c("userId"))" text not null references "user" ("id") on delete cascade)"#,
            #"create table "account" ("id" text not null primary key, "issuer" text not null, "\#(c("accountId"))" text not null, "\#(c("providerId"))" text not null, "\#(c("userId"))" text not null references "user" ("id") on delete cascade, "\#(c("accessToken"))" text, "\#(c("refreshToken"))" text, "\#(c("idToken"))" text, "\#(c("accessTokenExpiresAt"))" \#(date), "\#(c("refreshTokenExpiresAt"))" \#(date), "scope" text, "password" text, "\#(c("createdAt"))" \#(date) not null, "\#(c("updatedAt"))" \#(date) not null)"#,
            #"create table "verification" ("id" text not null primary key, "identifier" text not null, "value" text not null, "\#(c("expiresAt"))" \#(date) not null, "\#(c("createdAt"))" \#(date) not null, "\#(c("updatedAt"))" \#(date) not null)"#,
            #"create table "jwks" ("id" text not null primary key, "\#(c("publicKey"))" text not null, "\#(c("privateKey"))" text not null, "\#(c("createdAt"))" \#(date) not null, "\#(c("expiresAt"))" \#(date), "alg" text, "crv" text)"#,
            #"create index "session_userId_idx" on "session" ("\#(c("userId"))")"#,
            #"create index "account_userId_idx" on "account" ("\#(c("userId"))")"#,
            #"create index "verification_identifier_idx" on "verification" ("identifier")"#,
            #"create unique index "account_issuer_accountId_uidx" on "account" ("issuer", "\#(c("accountId"))")"#,
        ]
    }

    static func snake(_ camel: String) -> String {
        camel.reduce(into: "") { $0 += $1.isUppercase ? "_" + $1.lowercased() : String($1) }
    }

    /// The rows Better Auth wrote for Grace (a password account) and its own JWT key, as it writes them.
    static func betterAuthRows(_ layout: Layout, postgres: Bool, passwordHash: String) -> [(String, [SQLValue])] {
        let c: (String) -> String = { layout == .drizzle ? Self.snake($0) : $0 }
        let created = Date(timeIntervalSince1970: 1_767_225_600)
        let date: SQLValue = !postgres && layout == .drizzle ? .int(1_767_225_600_000) : (postgres ? .date(created) : .text("2026-01-01T00:00:00.000Z"))
        let flag: SQLValue = postgres ? .bool(true) : .int(1)
        return [
            (#"insert into "user" ("id", "name", "email", "\#(c("emailVerified"))", "\#(c("createdAt"))", "\#(c("updatedAt"))") values ('grace', 'Grace', 'grace@example.com', $1, $2, $2)"#, [flag, date]),
            (#"insert into "account" ("id", "issuer", "\#(c("accountId"))", "\#(c("providerId"))", "\#(c("userId"))", "password", "\#(c("createdAt"))", "\#(c("updatedAt"))") values ('acc-grace', 'local:credential', 'grace', 'credential', 'grace', $1, $2, $2)"#, [.text(passwordHash), date]),
            (#"insert into "jwks" ("id", "\#(c("publicKey"))", "\#(c("privateKey"))", "\#(c("createdAt"))", "alg", "crv") values ('ba-key', '{"kty":"OKP"}', '"00aa11bb"', $1, 'EdDSA', 'Ed25519')"#, [date]),
        ]
    }

    static func withForeignDatabase(
        _ layout: Layout, postgres: Bool, _ body: @escaping @Sendable (SQLStore) async throws -> Void
    ) async throws {
        let run: @Sendable (DatabaseLocation) async throws -> Void = { location in
            try await DatabaseFactory.withDatabase(location, poolSize: 2, timeout: testDatabaseDeadline, logger: testLogger) { database in
                for statement in Self.ddl(layout, postgres: postgres) { try await database.execute(statement) }
                let hash = try await cheapHasher.hash("grace's password")
                for (statement, binds) in Self.betterAuthRows(layout, postgres: postgres, passwordHash: hash) {
                    try await database.execute(statement, binds)
                }
                try await Migrator(database: database).migrate()
                try await body(SQLStore(database: database))
            }
        }
        if postgres {
            try await withFreshPostgres(run)
        } else {
            let path = TestFiles.temporaryPath("foreign-\(layout.rawValue)")
            defer { try? FileManager.default.removeItem(atPath: path) }
            try await run(.sqliteFile(path: path))
        }
    }

    static var dialects: [Bool] { StoreKind.postgresURL == nil ? [false] : [false, true] }

    @Test(arguments: Layout.allCases, dialects)
    func signUpSignInAndTheLifecycleWorkOnIt(layout: Layout, postgres: Bool) async throws {
        try await Self.withForeignDatabase(layout, postgres: postgres) { store in
            let schema = try await store.authSchema()
            #expect(schema.user.snakeCase == (layout == .drizzle))
            #expect(schema.session.integerDates == (layout == .drizzle && !postgres))
            let outbox = Outbox()
            let auth = AuthService(
                store: store, hasher: cheapHasher, emails: AccountEmails(mailer: outbox, publicURL: "https://todo.example.com")
            )
            // The user Better Auth wrote signs in here, dates and all.
            let grace = try await auth.signIn(email: "grace@example.com", password: "grace's password", ipAddress: "10.0.0.1", userAgent: "test")
            #expect(grace.user.id == "grace" && grace.user.emailVerified)
            #expect(grace.user.createdAt == Date(timeIntervalSince1970: 1_767_225_600))
            #expect(try await auth.authenticate(token: grace.session.token)?.user.email == "grace@example.com")

            let ada = try await auth.signUp(name: "Ada", email: "ada-\(UUID().uuidString.prefix(6))@example.com", password: "correct horse", ipAddress: nil, userAgent: nil)
            #expect(try await auth.sessions(of: ada.user).map(\.token) == [ada.session.token])
            let issuer = try await store.database.query(
                #"SELECT "issuer" FROM "account" WHERE "\#(layout == .drizzle ? "user_id" : "userId")" = $1"#, [.text(ada.user.id)]
            )
            #expect(try issuer.first?.string("issuer") == "local:credential", "Better Auth 1.7 needs the issuer (NOT NULL, unique)")
            if layout == .drizzle && !postgres {
                let kinds = try await store.database.query(#"SELECT typeof("created_at") AS kind FROM "session" WHERE "token" = $1"#, [.text(ada.session.token)])
                #expect(try kinds.first?.string("kind") == "integer", "dates stay integer milliseconds, as Drizzle reads them")
            }

            _ = try await auth.updateUser(ada.user, token: ada.session.token, name: "Ada L", image: nil)
            _ = try await auth.changePassword(ada.user, current: "correct horse", new: "battery staple", revokeOthers: false, ipAddress: nil, userAgent: nil)
            try await auth.requestPasswordReset(email: ada.user.email, callbackURL: nil)
            let token = try #require(outbox.lastLink.split(separator: "/").last?.split(separator: "?").first.map(String.init))
            try await auth.resetPassword(token: token, newPassword: "horse battery")
            let again = try await auth.signIn(email: ada.user.email, password: "horse battery", ipAddress: nil, userAgent: nil)
            #expect(again.user.name == "Ada L" && again.user.emailVerified)
            try await auth.changeEmail(again.user, newEmail: "ada-moved-\(UUID().uuidString.prefix(6))@example.com", callbackURL: nil)
            let changeToken = try #require(outbox.lastLink.components(separatedBy: "token=").last?.split(separator: "&").first.map(String.init))
            let moved = try await auth.verifyEmail(token: changeToken)
            #expect(moved.email.hasPrefix("ada-moved-"))
            try await auth.revokeSessions(of: moved, keeping: nil)
            #expect(try await auth.sessions(of: moved).isEmpty)
            try await auth.deleteUser(moved, password: "horse battery", session: nil)
            #expect(try await store.user(id: moved.id) == nil)

            // Our JWT keys live in their own table; Better Auth's key stays as it wrote it.
            try await store.addSigningKey(StoredSigningKey(id: "ours", publicKey: "{}", privateKey: "c2VhbGVk", createdAt: Date(), expiresAt: nil))
            #expect(try await store.signingKeys().map(\.id) == ["ours"])
            let jwks = try await store.database.query(#"SELECT "id" FROM "jwks""#, [])
            #expect(try jwks.map { try $0.string("id") } == ["ba-key"])
        }
    }

    @Test func aTableThatDoesNotMatchIsNamedWithWhatItLacks() async throws {
        let path = TestFiles.temporaryPath("foreign-broken")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await DatabaseFactory.withDatabase(.sqliteFile(path: path), poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
            try await database.execute(#"create table "user" ("id" text primary key, "name" text, "email" text, "email_verified" integer, "image" text, "created_at" integer, "updated_at" integer)"#)
            try await database.execute(#"create table "session" ("id" text primary key, "token" text, "created_at" integer, "updated_at" integer)"#)
            do {
                try await Migrator(database: database).migrate()
                Issue.record("migrate accepted a session table without user_id")
            } catch let error as ForeignTablesError {
                #expect(error.description.contains(#"table "session" exists but lacks "expires_at", "ip_address", "user_agent", "user_id""#), "\(error)")
                #expect(error.description.contains("snake_case"))
            }
            let tables = try await database.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'tasks'", [])
            #expect(tables.isEmpty, "nothing was changed")
        }
    }
}
