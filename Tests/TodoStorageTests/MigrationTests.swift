import Foundation
import Testing
import TodoCore
import TodoStorage
import TodoTestSupport

@Suite struct MigrationTests {
    static let sqliteKinds: [StoreKind] = [.sqliteFile]

    @Test(arguments: StoreKind.available)
    func migratingTwiceIsANoOp(kind: StoreKind) async throws {
        try await DatabaseFactory.withDatabase(try kind.location(), poolSize: 2, timeout: testDatabaseDeadline, logger: testLogger) { database in
            let migrator = Migrator(database: database)
            try await migrator.migrate()
            #expect(try await migrator.migrate().isEmpty)
            let status = try await migrator.status()
            #expect(status.map(\.version) == Migrator.all.map(\.version))
            #expect(status.allSatisfy { $0.appliedAt != nil })
        }
    }

    @Test func statusOfAnEmptyDatabaseListsPendingWithoutWriting() async throws {
        try await DatabaseFactory.withDatabase(.sqliteMemory, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
            let status = try await Migrator(database: database).status()
            #expect(status.map(\.appliedAt) == Migrator.all.map { _ in nil })
            let tables = try await database.query("SELECT name FROM sqlite_master WHERE name = 'schema_migrations'", [])
            #expect(tables.isEmpty)
        }
    }

    @Test func aFreshSchemaHasBetterAuthTablesWithCamelCaseColumns() async throws {
        try await DatabaseFactory.withDatabase(.sqliteMemory, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
            try await Migrator(database: database).migrate()
            for (table, columns) in [
                "user": ["id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"],
                "session": ["id", "expiresAt", "token", "createdAt", "updatedAt", "ipAddress", "userAgent", "userId"],
                "account": ["id", "accountId", "providerId", "userId", "accessToken", "refreshToken", "idToken",
                            "accessTokenExpiresAt", "refreshTokenExpiresAt", "scope", "password", "createdAt", "updatedAt", "issuer"],
                "verification": ["id", "identifier", "value", "expiresAt", "createdAt", "updatedAt"],
                "jwks": ["id", "publicKey", "privateKey", "createdAt", "expiresAt", "alg", "crv"],
                "signing_keys": ["id", "publicKey", "privateKey", "createdAt", "expiresAt"],
                "tasks": ["id", "user_id", "title", "description", "completed", "priority", "tags", "due_at", "recurrence",
                          "completed_at", "created_at", "updated_at", "remind_at", "remind_before_minutes", "reminder_at", "reminded_at", "deleted_at"],
                "conversations": ["id", "user_id", "title", "created_at", "updated_at"],
                "messages": ["id", "conversation_id", "user_id", "role", "content", "tool_calls", "created_at", "turn_id", "status"],
                "chat_turns": ["id", "conversation_id", "user_id", "status", "stop_requested", "started_at", "heartbeat_at", "ended_at"],
                "events": ["id", "user_id", "kind", "data", "created_at"],
            ] {
                let rows = try await database.query("SELECT name FROM pragma_table_info('\(table)')", [])
                #expect(try rows.map { try $0.string("name") } == columns, "table \(table)")
            }
        }
    }

    @Test(arguments: StoreKind.available.filter { $0 != .sqliteMemory })
    func aMigrationChangedAfterItWasAppliedIsRefused(kind: StoreKind) async throws {
        let body: @Sendable (DatabaseLocation) async throws -> Void = { location in
            try await DatabaseFactory.withDatabase(location, poolSize: 2, timeout: testDatabaseDeadline, logger: testLogger) { database in
                try await Migrator(database: database).migrate()
                let original = Migrator.all[0]
                let edited = Migration(
                    version: original.version, name: original.name,
                    sqlite: original.sqlite + ["CREATE TABLE sneaky (id integer)"],
                    postgres: original.postgres + ["CREATE TABLE sneaky (id integer)"]
                )
                let error = await #expect(throws: MigrationError.self) {
                    try await Migrator(database: database, migrations: [edited]).migrate()
                }
                #expect(error?.description.contains("migration 1 (initial schema) was changed after it was applied") == true)
                await #expect(throws: MigrationError.self) { try await Migrator(database: database, migrations: [edited]).status() }
                let sneaky = database.dialect == .postgres
                    ? "SELECT 1 FROM information_schema.tables WHERE table_name = 'sneaky'"
                    : "SELECT 1 FROM sqlite_master WHERE name = 'sneaky'"
                #expect(try await database.query(sneaky, []).isEmpty)
            }
        }
        if kind == .postgres {
            try await withFreshPostgres(body)
        } else {
            try await body(try kind.location())
        }
    }

    @Test(arguments: StoreKind.available.filter { $0 != .sqliteMemory })
    func concurrentMigrationsApplyTheSchemaExactlyOnce(kind: StoreKind) async throws {
        let body: @Sendable (DatabaseLocation) async throws -> Void = { location in
            let applied = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await DatabaseFactory.withDatabase(location, poolSize: 2, timeout: testDatabaseDeadline, logger: testLogger) { database in
                            try await Migrator(database: database).migrate().count
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(applied == Migrator.all.count)
            try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
                let rows = try await database.query("SELECT count(*) AS n FROM schema_migrations", [])
                #expect(try rows[0].int("n") == Int64(Migrator.all.count))
            }
        }
        if kind == .postgres {
            try await withFreshPostgres(body)
        } else {
            try await body(try kind.location())
        }
    }

    @Test(arguments: [false] + (StoreKind.postgresURL == nil ? [] : [true]))
    func upgradingMovesOurKeysOutOfBetterAuthsJwksAndBackfillsItsColumns(postgres: Bool) async throws {
        let body: @Sendable (DatabaseLocation) async throws -> Void = { location in
            try await DatabaseFactory.withDatabase(location, poolSize: 2, timeout: testDatabaseDeadline, logger: testLogger) { database in
                try await Migrator(database: database, migrations: Array(Migrator.all.prefix(6))).migrate()
                let store = SQLStore(database: database)
                // As the previous release wrote them: no issuer.
                try await database.execute(
                    #"INSERT INTO "user" ("id", "name", "email", "emailVerified", "createdAt", "updatedAt") VALUES ('u1', 'U', 'u1@example.com', $1, $2, $2)"#,
                    [.bool(false), .date(Date())]
                )
                try await database.execute(
                    #"INSERT INTO "account" ("id", "accountId", "providerId", "userId", "password", "createdAt", "updatedAt") VALUES ('a1', 'u1', 'credential', 'u1', 'x', $1, $1)"#,
                    [.date(Date())]
                )
                try await database.execute(
                    #"INSERT INTO "jwks" ("id", "publicKey", "privateKey", "createdAt") VALUES ('ours', '{}', 'c2VhbGVk', $1), ('theirs', '{}', '"00ff"', $1)"#,
                    [.date(Date())]
                )
                try await Migrator(database: database).migrate()
                #expect(try await store.signingKeys().map(\.id) == ["ours"], "our key moved to signing_keys")
                let jwks = try await database.query(#"SELECT "id", "alg", "crv" FROM "jwks""#, [])
                #expect(try jwks.map { try $0.string("id") } == ["theirs"], "Better Auth's key stayed")
                #expect(try jwks.first?.string("alg") == "EdDSA" && jwks.first?.string("crv") == "Ed25519")
                let issuer = try await database.query(#"SELECT "issuer" FROM "account" WHERE "userId" = 'u1'"#, [])
                #expect(try issuer.first?.string("issuer") == "local:credential", "existing accounts get Better Auth 1.7's issuer")
            }
        }
        if postgres {
            try await withFreshPostgres(body)
        } else {
            let path = TestFiles.temporaryPath("upgrade.sqlite")
            defer { try? FileManager.default.removeItem(atPath: path) }
            try await body(.sqliteFile(path: path))
        }
    }
}
