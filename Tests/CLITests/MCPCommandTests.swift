import Foundation
import Testing
@testable import todo_chatbot
import TodoCore
import TodoStorage
import TodoTestSupport

/// `todo-chatbot mcp`: the MCP server over stdio, acting as one user.
@Suite(.heavy) struct MCPCommandTests {
    static let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#

    /// A migrated SQLite file in the CLI's folder with one user, ada@example.com.
    static func prepared() async throws -> (CLI, String) {
        let cli = try CLI(environment: ["DATABASE_URL": "sqlite:./todo.sqlite"])
        #expect(try await cli.run(["migrate"]).status == 0)
        let location = DatabaseLocation.sqliteFile(path: cli.folder.appendingPathComponent("todo.sqlite").path)
        let user = try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
            try await SQLStore(database: database).createUser(name: "Ada", email: "ada@example.com", passwordHash: "00:00").id
        }
        return (cli, user)
    }

    @Test func itAnswersEveryRequestOnStdoutAndLogsOnlyToStderr() async throws {
        let (cli, user) = try await Self.prepared()
        let input = [
            Self.initialize,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add_task","arguments":{"title":"From stdio","user_id":"someone"}}}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"nope"}"#,
        ].joined(separator: "\n") + "\n"
        let result = try await cli.run(["mcp", "--user", " ADA@example.com "], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { JSONValue.parse(String($0)) }
        #expect(lines.count == 3, "one answer per request, nothing else on stdout: \(result.stdout)")
        var byID: [String: JSONValue] = [:]
        for case let line? in lines { if let id = line["id"] { byID[id.text] = line } }
        #expect(byID["1"]?["result"]?["serverInfo"]?["name"] == "todo-chatbot")
        #expect(byID["2"]?["result"]?["structuredContent"]?["status"] == "created")
        #expect(byID["3"]?["error"]?["code"] == -32601)
        #expect(result.stderr.contains("mcp serving on stdio"))

        let location = DatabaseLocation.sqliteFile(path: cli.folder.appendingPathComponent("todo.sqlite").path)
        let titles = try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
            try await SQLStore(database: database).tasks(matching: TaskQuery(), userID: user).map(\.title)
        }
        #expect(titles == ["From stdio"], "the task belongs to --user, whatever the arguments say")
    }

    @Test func aMissingOrUnknownUserIsAClearError() async throws {
        let (cli, _) = try await Self.prepared()
        let missing = try await cli.run(["mcp"], input: "")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--user EMAIL or MCP_USER"))
        let unknown = try await cli.run(["mcp"], environment: ["MCP_USER": "eve@example.com"], input: Self.initialize + "\n")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no account with the email eve@example.com"))
        #expect(unknown.stdout.isEmpty)
        let helped = try await cli.run(["mcp", "--help"])
        #expect(helped.stdout.contains("Claude Desktop"))
    }
}
