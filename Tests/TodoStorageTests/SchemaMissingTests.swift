import Testing
import TodoCore
import TodoStorage
import TodoTestSupport

/// A database that was never migrated answers with one line that says what to do, on both backends.
@Suite struct SchemaMissingTests {
    static func expectMigrateHint(_ database: any SQLDatabase) async {
        let error = await #expect(throws: TodoError.self) { try await database.query(#"SELECT "id" FROM "jwks""#, []) }
        #expect(error?.code == "SERVICE_UNAVAILABLE")
        #expect(error?.message.contains("run `todo-chatbot migrate`") == true, "\(String(describing: error?.message))")
    }

    @Test func sqliteSaysToMigrate() async throws {
        try await DatabaseFactory.withDatabase(.sqliteMemory, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
            await Self.expectMigrateHint(database)
        }
    }

    @Test(.enabled(if: StoreKind.postgresURL != nil, "needs TEST_DATABASE_URL"))
    func postgresSaysToMigrate() async throws {
        try await withFreshPostgres { location in
            try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
                await Self.expectMigrateHint(database)
            }
        }
    }
}
