import Foundation
import Testing
@testable import todo_chatbot
import TodoAPI
import TodoCore
import TodoStorage
import TodoTestSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite(.heavy, .enabled(if: StoreKind.postgresURL != nil, "needs TEST_DATABASE_URL"), .timeLimit(.minutes(2)))
struct PostgresCommandTests {
    static let secret = "postgres-command-secret-0123456789-abcdefgh"

    @Test func concurrentMigrateProcessesAllSucceedAndApplyTheSchemaOnce() async throws {
        try await withFreshPostgres { location in
            guard case .postgres(let postgres) = location else { return }
            let url = Self.url(postgres)
            let cli = try CLI(environment: ["DATABASE_URL": url])
            let results = try await withThrowingTaskGroup(of: CLI.Result.self) { group in
                for _ in 0..<3 { group.addTask { try await cli.run(["migrate"]) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.map(\.status) == [0, 0, 0], "\(results.map(\.stderr))")
            // The processes may share the work (one applies version 1, another version 2), but each version
            // is applied by exactly one of them.
            for migration in Migrator.all {
                let line = "applied \(migration.version) \(migration.name)"
                #expect(results.filter { $0.stdout.contains(line) }.count == 1, "\(line)")
            }
            try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
                let rows = try await database.query("SELECT count(*) AS n FROM schema_migrations", [])
                #expect(try rows[0].int("n") == Int64(Migrator.all.count))
            }
            let status = try await cli.run(["migrate", "--status"])
            #expect(status.stdout.contains("applied "))
        }
    }

    @Test func aWrongPasswordFailsMigrateWithOneClearLine() async throws {
        guard case .postgres(var postgres) = try DatabaseLocation.parse(StoreKind.postgresURL) else { return }
        postgres.password = "wrong-password-\(UUID().uuidString.prefix(6))"
        let result = try await CLI(environment: ["DATABASE_URL": Self.url(postgres)]).run(["migrate"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("todo-chatbot: PostgreSQL refused the login: password authentication failed"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!result.stderr.contains(postgres.password!))
    }

    @Test func serveAPIMigratesOnStartOnlyWhenAsked() async throws {
        try await withFreshPostgres { location in
            guard case .postgres(let postgres) = location else { return }
            let cli = try CLI(environment: ["DATABASE_URL": Self.url(postgres), "BETTER_AUTH_SECRET": Self.secret])
            let plain = try await cli.startServer()
            plain.signal(SIGTERM)
            _ = await plain.waitForExit(within: .seconds(60))
            let pendingStatus = try await cli.run(["migrate", "--status"])
            #expect(pendingStatus.stdout.contains("pending"), "PostgreSQL must not migrate implicitly")
            let migrating = try await cli.startServer(environment: ["MIGRATE_ON_START": "1"])
            migrating.signal(SIGTERM)
            #expect(await migrating.waitForExit(within: .seconds(60)) == 0)
            let appliedStatus = try await cli.run(["migrate", "--status"])
            #expect(!appliedStatus.stdout.contains("pending"))
        }
    }

    /// A second, private PostgreSQL (RESTART_DATABASE_URL on RESTART_PGTLS_PORT) is stopped and started,
    /// so the other suites' database is never disturbed.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["RESTART_DATABASE_URL"] != nil, "needs RESTART_DATABASE_URL"))
    func readinessFollowsADatabaseRestartWithoutAProcessRestart() async throws {
        let environment = ProcessInfo.processInfo.environment
        let url = try #require(environment["RESTART_DATABASE_URL"])
        let port = try #require(environment["RESTART_PGTLS_PORT"])
        let tool = environment["PGTLS_TOOL"] ?? "../shared/tools/pg-tls.sh"
        let cli = try CLI(environment: [
            "DATABASE_URL": url, "BETTER_AUTH_SECRET": Self.secret, "DATABASE_TIMEOUT": "1s", "MIGRATE_ON_START": "1",
        ])
        let server = try await cli.startServer()
        defer { server.stop() }
        #expect(try await server.get("/ready").status == 200)

        try await offPool { try Self.shell(tool, "stop", port) }
        let down = try await server.get("/ready")
        #expect(down.status == 503)
        #expect(down.body.contains(#""status":"unavailable""#))

        try await offPool { try Self.shell(tool, "restart", port) }
        var recovered = false
        for _ in 0..<50 where !recovered {
            recovered = (try? await server.get("/ready"))?.status == 200
            if !recovered { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(recovered, "readiness must come back by itself")
        #expect(server.process.isRunning, "no process restart")
    }

    /// A rotated database password given as a file: SIGHUP moves the pool to the new credentials without a restart,
    /// and a URL that does not connect is refused while the running pool keeps serving.
    @Test func sighupMovesThePoolToARotatedPassword() async throws {
        try await withFreshPostgres { location in
            guard case .postgres(let admin) = location else { return }
            let role = "rotating_\(UUID().uuidString.prefix(8).lowercased())"
            let cli = try CLI(environment: ["DATABASE_URL": Self.url(admin)])
            #expect(try await cli.run(["migrate"]).status == 0)
            func asAdmin(_ statements: [String]) async throws {
                try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
                    for statement in statements { try await database.execute(statement) }
                }
            }
            try await asAdmin([
                "CREATE ROLE \(role) LOGIN PASSWORD 'first-password'",
                "GRANT ALL ON ALL TABLES IN SCHEMA public TO \(role)", "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO \(role)",
            ])
            var user = admin
            user.username = role
            user.password = "first-password"
            let urlFile = cli.folder.appendingPathComponent("database-url").path
            try Self.url(user).write(toFile: urlFile, atomically: true, encoding: .utf8)
            let server = try await cli.startServer(environment: [
                "DATABASE_URL": "", "DATABASE_URL_FILE": urlFile, "BETTER_AUTH_SECRET": Self.secret, "DATABASE_TIMEOUT": "2s",
            ])
            defer { server.stop() }
            #expect(try await server.get("/ready").status == 200)

            // The password changes and the pool's connections are dropped: without a reload the API cannot reconnect.
            let dropConnections = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '\(role)'"
            try await asAdmin(["ALTER ROLE \(role) PASSWORD 'second-password'", dropConnections])
            #expect(try await server.get("/ready").status == 503)

            user.password = "second-password"
            try Self.url(user).write(toFile: urlFile, atomically: true, encoding: .utf8)
            server.signal(SIGHUP)
            try await ReloadTests.waitForLog(server, "configuration reloaded")
            #expect(server.logText.contains("DATABASE_URL"), "the log names what changed")
            #expect(!server.logText.contains("second-password") && !server.logText.contains("first-password"))
            #expect(try await server.get("/ready").status == 200, "the new pool connects with the new password")

            // A URL that does not connect is refused; the running pool stays.
            user.password = "wrong-password"
            try Self.url(user).write(toFile: urlFile, atomically: true, encoding: .utf8)
            server.signal(SIGHUP)
            try await ReloadTests.waitForLog(server, "configuration reloaded", count: 2)
            #expect(server.logText.contains("does not connect"))
            #expect(try await server.get("/ready").status == 200)

            // And back to the first password (A, B, A): compared with the pool that runs now, so it applies too.
            try await asAdmin(["ALTER ROLE \(role) PASSWORD 'first-password'", dropConnections])
            user.password = "first-password"
            try Self.url(user).write(toFile: urlFile, atomically: true, encoding: .utf8)
            server.signal(SIGHUP)
            try await ReloadTests.waitForLog(server, "configuration reloaded", count: 3)
            #expect(server.logText.components(separatedBy: "database pool replaced").count - 1 == 2)
            #expect(try await server.get("/ready").status == 200, "the pool is back on the first password")

            server.signal(SIGTERM)
            _ = await server.waitForExit(within: .seconds(60))
            try await asAdmin([dropConnections, "DROP OWNED BY \(role)", "DROP ROLE \(role)"])
        }
    }

    static func url(_ location: PostgresLocation) -> String {
        let password = location.password?.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "postgresql://\(location.username):\(password)@\(location.host):\(location.port)/\(location.database)?sslmode=\(location.tlsMode.rawValue)"
    }

    /// Runs a shell command with `system(3)`: Foundation's Process would wait forever here, because the
    /// PostgreSQL daemon that pg_ctl leaves behind inherits the descriptor Process watches for the exit.
    static func shell(_ arguments: String...) throws {
        let command = arguments.map { "'\($0)'" }.joined(separator: " ") + " >/dev/null 2>&1 </dev/null"
        guard system(command) == 0 else { throw CocoaError(.executableLoad) }
    }
}
