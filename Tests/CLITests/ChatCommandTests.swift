import Foundation
import Testing
import TodoCore
import TodoTestSupport
@testable import todo_chatbot

/// `todo-chatbot chat`: in-process on the embedded store, and through a running serve-api.
@Suite(.heavy) struct ChatCommandTests {
    @Test func aMessageIsAnsweredWithTheChangesListed() async throws {
        let cli = try CLI(environment: ["DATABASE_URL": "sqlite:./todo.sqlite"])
        let added = try await cli.run(["chat", "add buy milk tomorrow #home"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.hasPrefix("Added “buy milk” (#1), due "))
        #expect(added.stdout.hasSuffix("\n\n+ added #1 buy milk\n"))

        let json = try await cli.run(["chat", "--json", "--conversation", "1", "mark 1 done"])
        #expect(json.status == 0, "\(json.stderr)")
        let answer = try #require(JSONValue.parse(json.stdout))
        #expect(answer["conversation_id"] == 1)
        #expect(answer["response"] == "Marked “buy milk” (#1) as done.")

        let piped = try await cli.run(["chat"], input: "show completed\n")
        #expect(piped.stdout.contains("1. ✓ buy milk"), "standard input is the message when it is not a terminal")

        let unknownConversation = try await cli.run(["chat", "--conversation", "99", "hi"])
        #expect(unknownConversation.status == 1)
        #expect(unknownConversation.stderr == "todo-chatbot: chat failed: No conversation 99.\n")
        let empty = try await cli.run(["chat", "  "])
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("message must not be empty"))
    }

    /// `chat` reads dates in the machine's zone (TZ), or --time-zone; the task is stored in UTC.
    @Test func datesAreReadInTheLocalTimeZone() async throws {
        let cli = try CLI(environment: ["DATABASE_URL": "sqlite:./todo.sqlite", "TZ": "Pacific/Auckland"])
        let local = try await cli.run(["chat", "--json", "please add call the plumber tomorrow at 9pm, high priority"])
        #expect(local.status == 0, "\(local.stderr)")
        let dueLocal = try #require(JSONValue.parse(local.stdout)?["tool_calls"]?.arrayValue?.first?["arguments"]?["due_at"]?.stringValue)
        #expect(dueLocal.hasSuffix("T21:00:00+13:00"), "9pm in Auckland: \(dueLocal)")
        let given = try await cli.run(["chat", "--json", "--time-zone", "Europe/Berlin", "add water plants on friday at 5pm"])
        let dueGiven = try #require(JSONValue.parse(given.stdout)?["tool_calls"]?.arrayValue?.first?["arguments"]?["due_at"]?.stringValue)
        #expect(dueGiven.hasSuffix("T17:00:00+01:00"), "--time-zone wins: \(dueGiven)")
    }

    @Test func postgresNeedsANamedUser() async throws {
        let cli = try CLI(environment: ["DATABASE_URL": "postgresql://u:p@127.0.0.1:1/db?sslmode=disable"])
        let result = try await cli.run(["chat", "hi"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("CHAT_USER: required with PostgreSQL"))
        let half = try await cli.run(["chat", "--api-url", "http://127.0.0.1:1", "hi"])
        #expect(half.status != 0)
        #expect(half.stderr.contains("--api-url and --token go together"))
    }

    @Test func itTalksToARunningServer() async throws {
        let cli = try CLI(environment: ["DATABASE_URL": "sqlite::memory:"])
        let server = try await cli.startServer()
        defer { server.stop() }
        let base = server.base
        let signedUp = try await server.signUp(email: "remote@example.com")
        let token = try #require(JSONValue.parse(signedUp)?["token"]?.stringValue)
        let added = try await cli.run(["chat", "--api-url", base, "--token", token, "add call mom friday"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.hasPrefix("Added “call mom” (#1), due "))
        #expect(added.stdout.contains("+ added #1 call mom"))
        let refused = try await cli.run(["chat", "--api-url", base, "--token", "wrong", "hi"])
        #expect(refused.status == 1)
        #expect(refused.stderr == "todo-chatbot: chat failed: 401: Sign in first.\n")
    }
}
