import Foundation
import Testing
import TodoAPI
import TodoCore
import TodoTestSupport
@testable import todo_chatbot

@Suite(.heavy, .timeLimit(.minutes(2))) struct CommandLineTests {
    @Test func rootHelpListsTheSubcommands() async throws {
        let cli = try CLI()
        let result = try await cli.run(["--help"])
        #expect(result.status == 0)
        for command in ["serve-api", "migrate", "healthcheck"] { #expect(result.stdout.contains(command)) }
        let version = try await cli.run(["--version"])
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test(arguments: ["serve-api", "migrate", "healthcheck"])
    func everySubcommandHasHelpWithAnExample(command: String) async throws {
        let result = try await CLI().run([command, "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Example"))
        #expect(result.stdout.contains("--log-format"))
    }

    @Test(arguments: [
        (["serve-api"], ["PORT": "99999"], "todo-chatbot: configuration error: PORT: '99999' is not a whole number in 1-65535"),
        (["migrate"], ["LOG_LEVEL": "loud"], "todo-chatbot: configuration error: LOG_LEVEL: 'loud' is not one of trace, debug, info, notice, warning, error, critical"),
        (["serve-api", "--database-url", "mysql://x"], [:], "todo-chatbot: configuration error: DATABASE_URL: must start with postgres://, postgresql:// or sqlite: (e.g. sqlite:///var/lib/todo.sqlite)"),
        (["serve-api"], ["DATABASE_URL": "postgresql://u:topsecret@db.example/x?sslmode=require"], "todo-chatbot: configuration error: BETTER_AUTH_SECRET: required when DATABASE_URL is PostgreSQL (generate one with: openssl rand -base64 32)"),
        (["migrate", "--env-file", "missing.env"], [:], "todo-chatbot: configuration error: --env-file: missing.env does not exist"),
        (["healthcheck", "--timeout", "soon"], [:], "todo-chatbot: configuration error: --timeout: 'soon' is not a positive duration under 10 minutes (e.g. 3, 3s, 500ms, 1m)"),
    ])
    func badConfigurationExitsTwoWithOneLine(arguments: [String], environment: [String: String], line: String) async throws {
        let result = try await CLI(environment: environment).run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr == line + "\n")
        #expect(result.stdout.isEmpty)
    }

    /// A database that refuses connections is one line from every command that needs it, never a second line with a
    /// Swift type name (the failure is printed once, at the root).
    @Test(arguments: [["migrate"], ["migrate", "--status"], ["keys", "list"], ["keys", "rotate"], ["mcp", "--user", "a@example.com"], ["chat", "hello"]])
    func anUnreachableDatabaseIsOneLineFromEveryCommand(arguments: [String]) async throws {
        let result = try await CLI(environment: [
            "DATABASE_URL": "postgresql://u:p@127.0.0.1:9/db?sslmode=disable", "BETTER_AUTH_SECRET": "one-line-secret-0123456789-abcdefghijk",
            "CHAT_USER": "a@example.com", "DATABASE_TIMEOUT": "3s", "LOG_LEVEL": "critical",
        ]).run(arguments)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("todo-chatbot: ") == true)
        #expect(lines.first?.contains("PostgreSQL") == true, "it says what could not be reached")
        for typeName in ["ExitCode", "CommandFailure", "PSQLError", "TodoError", "Error("] {
            #expect(!result.stderr.contains(typeName))
        }
    }

    @Test func secretsStayOutOfConfigurationErrors() async throws {
        let result = try await CLI().run(
            ["migrate"], environment: ["DATABASE_URL": "postgresql://u:hunter2secret@h/db?sslmode=sometimes"]
        )
        #expect(result.status == 2)
        #expect(result.stderr.contains("DATABASE_URL: sslmode 'sometimes' is not supported"))
        #expect(!result.stderr.contains("hunter2secret"))
    }

    @Test func flagsBeatEnvironmentWhichBeatsTheDotEnvFile() async throws {
        let cli = try CLI()
        try cli.write(".env", "PORT=1111\nROLE=api\n")
        let fromFile = try await cli.run(["healthcheck", "--timeout", "200ms"])
        #expect(fromFile.stdout.contains("http://127.0.0.1:1111/health"))
        let fromEnvironment = try await cli.run(["healthcheck", "--timeout", "200ms"], environment: ["PORT": "2222"])
        #expect(fromEnvironment.stdout.contains("http://127.0.0.1:2222/health"))
        let fromFlag = try await cli.run(["healthcheck", "--timeout", "200ms", "--port", "3333"], environment: ["PORT": "2222"])
        #expect(fromFlag.stdout.contains("http://127.0.0.1:3333/health"))
        let webRole = try await CLI().run(["healthcheck", "--timeout", "200ms"], environment: ["ROLE": "web"])
        #expect(webRole.stdout.contains("http://127.0.0.1:3000/api/health"))
    }

    @Test func migrateOnSQLiteIsIdempotentAndReportsStatus() async throws {
        let cli = try CLI()
        let first = try await cli.run(["migrate"])
        #expect(first.status == 0)
        #expect(first.stdout == "database: sqlite:./data/todo.sqlite\napplied 1 initial schema\napplied 2 rate limits\napplied 3 task order index\napplied 4 shared mcp sessions\napplied 5 reminders, turns and the change log\napplied 6 deleted tasks kept for undo, token usage\napplied 7 Better Auth 1.7 columns, signing keys of our own\napplied 8 announce task changes\nschema is at version 8\n")
        let second = try await cli.run(["migrate"])
        #expect(second.stdout.hasSuffix("schema is up to date (version 8)\n"))
        let status = try await cli.run(["migrate", "--status", "--database-url", "sqlite:data/todo.sqlite"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("applied "))
        #expect(status.stdout.contains("initial schema"))
        #expect(FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("data/todo.sqlite").path))
    }

    @Test func healthcheckExitsZeroOnlyForA2xxAnswer() async throws {
        let cli = try CLI()
        let server = try await cli.startServer()
        defer { server.stop() }
        let healthy = try await cli.run(["healthcheck", "--port", String(server.port)])
        #expect(healthy.status == 0)
        #expect(healthy.stdout.hasPrefix("healthy: http://127.0.0.1:\(server.port)/health answered 200 in "))
        let notFound = try await cli.run(["healthcheck", "--url", "http://127.0.0.1:\(server.port)/missing"])
        #expect(notFound.status == 1)
        #expect(notFound.stdout.contains("answered 404"))
        let refused = try await cli.run(["healthcheck", "--port", String(try freePort())])
        #expect(refused.status == 1)
        #expect(refused.stdout.hasSuffix(": connection refused\n"))
    }

    @Test func aTakenPortOrUnknownHostIsOneClearLine() async throws {
        let cli = try CLI()
        let server = try await cli.startServer()
        defer { server.stop() }
        let taken = try await cli.run(["serve-api", "--port", String(server.port), "--database-url", "sqlite::memory:"])
        #expect(taken.status == 1)
        #expect(taken.stderr.hasSuffix(
            "todo-chatbot: cannot listen on 127.0.0.1:\(server.port): the port is already in use (choose another with PORT or --port)\n"
        ))
        let unknown = try await cli.run(["serve-api", "--host", "no-such-host.invalid", "--database-url", "sqlite::memory:"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("cannot listen on no-such-host.invalid:8000: unknown host"))
    }

    @Test func theEmbeddedDefaultKeepsItsSigningSecretPrivateAndStable() async throws {
        let cli = try CLI()
        let first = try await cli.startServer()
        first.signal(SIGTERM)
        #expect(await first.waitForExit(within: .seconds(60)) == 0)
        let path = cli.folder.appendingPathComponent("data/auth-secret").path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let secret = try String(contentsOfFile: path, encoding: .utf8)
        #expect(secret.utf8.count >= 32)
        let second = try await cli.startServer()
        second.signal(SIGTERM)
        #expect(await second.waitForExit(within: .seconds(60)) == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == secret, "sessions survive a restart")
        #expect(!first.logText.contains(secret) && !second.logText.contains(secret))
    }

    @Test func healthcheckGivesUpOnASilentServerWithinItsTimeout() async throws {
        let (fd, port) = try silentListener()
        defer { close(fd) }
        let start = ContinuousClock.now
        let result = try await CLI().run(["healthcheck", "--port", String(port), "--timeout", "500ms"])
        #expect(result.status == 1)
        #expect(result.stdout.hasSuffix(": timed out\n"))
        // Not the system's connect timeout (minutes); generous, since a loaded CI machine starts processes slowly.
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test func jsonLogsAreOneObjectPerLineWithRequestIDs() async throws {
        let cli = try CLI(environment: ["LOG_FORMAT": "json"])
        let server = try await cli.startServer()
        _ = try await server.get("/health")
        server.signal(SIGTERM)
        #expect(await server.waitForExit(within: .seconds(60)) == 0)
        let lines = server.logText.split(separator: "\n")
        #expect(lines.count >= 3)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] != nil, "not a JSON log line: \(line)")
        }
        #expect(lines.contains { $0.contains(#""msg":"request""#) && $0.contains(#""request_id":"#) && $0.contains(#""path":"/health""#) })
    }
}

@Suite(.heavy) struct RunningServerTests {
    @Test func theRoleAndPortOfProcessOneAreRead() {
        #expect(RunningServer.parse(["/app/todo-chatbot", "serve-web", "--port", "3001"]) == RunningServer(role: .web, port: "3001"))
        #expect(RunningServer.parse(["/app/todo-chatbot", "serve-api"]) == RunningServer(role: .api, port: nil))
        #expect(RunningServer.parse(["todo-chatbot", "serve", "--port=8080"]) == RunningServer(role: .serve, port: "8080"))
        #expect(RunningServer.parse(["/bin/sh", "serve-web"]) == nil)
        #expect(RunningServer.parse(["/app/todo-chatbot", "migrate"]) == nil)
    }
}
