import Foundation
import Testing
import TodoCore
import TodoStorage
import TodoTestSupport

@Suite(.enabled(if: StoreKind.postgresURL != nil, "needs TEST_DATABASE_URL"))
struct PostgresResilienceTests {
    @Test func aConnectionKilledByTheServerIsRetriedOnce() async throws {
        guard case .postgres(var location) = try DatabaseLocation.parse(StoreKind.postgresURL) else { return }
        let application = "todo_resilience_\(UUID().uuidString.prefix(8))"
        location.applicationName = application
        try await DatabaseFactory.withDatabase(.postgres(location), poolSize: 2, timeout: testDatabaseDeadline, logger: testLogger) { database in
            try await database.ping()
            // Ends our pooled connection the way a restart or a Neon suspend does.
            try await DatabaseFactory.withDatabase(try StoreKind.postgres.location(), poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { admin in
                let killed = try await admin.query(
                    "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1", [.text(application)]
                )
                #expect(!killed.isEmpty)
            }
            try await Task.sleep(for: .milliseconds(100))
            let rows = try await database.query("SELECT 41 + 1 AS answer", [])
            #expect(try rows[0].int("answer") == 42)
        }
    }

    /// A write whose connection dies after it was sent is never run a second time: the server may have applied it.
    /// The statement is killed mid-flight (so here it did not apply); a retry would insert the row, and must not.
    @Test func aWriteWhoseConnectionDiesAfterSendingIsNotRepeated() async throws {
        guard case .postgres(var location) = try DatabaseLocation.parse(StoreKind.postgresURL) else { return }
        let application = "todo_write_\(UUID().uuidString.prefix(8))"
        location.applicationName = application
        let table = "write_once_\(UUID().uuidString.prefix(8).lowercased())"
        let shared = try await SharedPostgres.database()
        try await shared.execute("CREATE TABLE \(table) (x integer)")
        try await DatabaseFactory.withDatabase(.postgres(location), poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
            try await database.ping()
            let write = Task { try await database.query("INSERT INTO \(table) (x) SELECT 1 FROM pg_sleep(30)", []) }
            // Kill the connection once the INSERT is running on the server.
            var killed = false
            for _ in 0..<2000 where !killed {
                let rows = try await shared.query(
                    "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'INSERT%'",
                    [.text(application)]
                )
                killed = !rows.isEmpty
                if !killed { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(killed)
            let error = await #expect(throws: TodoError.self) { try await write.value }
            #expect(error?.code == "SERVICE_UNAVAILABLE")
            #expect(error?.message.contains("may or may not have been saved") == true)
        }
        let count = try await shared.query("SELECT count(*) AS n FROM \(table)", [])
        #expect(try count[0].int("n") == 0, "not run a second time")
        try await shared.execute("DROP TABLE \(table)")
    }

    @Test func anUnreachableServerIsUnavailableWithinTheTimeout() async throws {
        let location = try DatabaseLocation.parse("postgresql://user:pw@127.0.0.1:9/db?sslmode=disable")
        try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: .milliseconds(500), logger: testLogger) { database in
            let start = ContinuousClock.now
            let error = await #expect(throws: TodoError.self) { try await database.ping() }
            #expect(error?.code == "SERVICE_UNAVAILABLE")
            // About 0.5 s here; the bound only catches waiting on the pool's own reconnect backoff (tens of seconds),
            // with room for a CI machine whose two cores are busy with every other suite.
            #expect(ContinuousClock.now - start < .seconds(8))
        }
    }

    @Test func aWrongPasswordIsReportedPreciselyWithoutThePassword() async throws {
        guard case .postgres(var location) = try DatabaseLocation.parse(StoreKind.postgresURL) else { return }
        location.password = "definitely-wrong-\(UUID())"
        let backend = try PostgresBackend(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger)
        let error = await #expect(throws: TodoError.self) { try await backend.checkConnection() }
        #expect(error?.message.contains("password authentication failed") == true)
        #expect(error?.message.contains(location.password!) == false)
    }

    @Test func verifyFullChecksTheCertificateAgainstTheGivenRoot() async throws {
        guard let ca = ProcessInfo.processInfo.environment["TEST_DATABASE_CA"],
              case .postgres(var location) = try DatabaseLocation.parse(StoreKind.postgresURL)
        else { return }
        location.tlsMode = .verifyFull
        location.rootCertificatePath = ca
        location.host = "localhost"
        try await PostgresBackend(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger).checkConnection()
        // Without the private root the self-signed certificate must be refused, never silently accepted.
        location.rootCertificatePath = nil
        await #expect(throws: TodoError.self) {
            try await PostgresBackend(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger).checkConnection()
        }
    }
}
