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

    /// Held deletes: without a terminal the command says how to answer yes and deletes nothing; on a terminal it
    /// asks "[y/N]" and sends the answer.
    @Test func heldDeletesAreAskedOnATerminalAndExplainedWithoutOne() async throws {
        let delete = { (ids: [Int64]) in
            ScriptedLLM.Reply.stream(ids.enumerated().map { position, id in
                ScriptedLLM.toolCall(index: Int64(position), id: "d\(id)-\(position)", name: "delete_task", arguments: #"{"task_id":\#(id)}"#)
            })
        }
        let llm = ScriptedLLM([
            .stream(["Pay rent", "Buy milk", "Call mum"].enumerated().map { position, title in
                ScriptedLLM.toolCall(index: Int64(position), id: "a\(position)", name: "add_task", arguments: #"{"title":"\#(title)"}"#)
            }),
            .stream([ScriptedLLM.text("Added.")]),
            delete([1, 2]),
            delete([1, 2]), .stream([ScriptedLLM.text("Deleted two.")]),
            delete([3]),
            delete([3]), .stream([ScriptedLLM.text("Deleted.")]),
        ])
        try await llm.serve { baseURL in
            let cli = try CLI(environment: ["DATABASE_URL": "sqlite:./todo.sqlite", "OPENAI_BASE_URL": baseURL, "OPENAI_API_KEY": "sk-test"])
            #expect(try await cli.run(["chat", "add three tasks"]).status == 0)
            let held = try await cli.run(["chat", "--conversation", "1", "tidy up my list"])
            #expect(held.status == 0, "\(held.stderr)")
            #expect(held.stdout.contains("? not deleted yet #1 Pay rent: waiting for your yes"))
            #expect(held.stderr.contains("Nothing was deleted. To delete, answer yes: todo-chatbot chat --conversation 1 yes"))
            let yes = try await cli.run(["chat", "--conversation", "1", "yes"])
            #expect(yes.stdout.contains("- deleted #1 Pay rent") && yes.stdout.contains("- deleted #2 Buy milk"), "\(yes.stdout)")

            // On a terminal (script(1) gives the command one), the question is asked and "y" answers it.
            let command = ([CLI.binary.path, "chat", "--conversation", "1", "tidy up again"]).map { "'\($0)'" }.joined(separator: " ")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", command, "/dev/null"]
            process.currentDirectoryURL = cli.folder
            process.environment = cli.environment
            let onTerminal = try await Subprocess.run(process, input: "y\n")
            #expect(onTerminal.status == 0, "\(onTerminal.stdout)")
            #expect(onTerminal.stdout.contains("Delete it? [y/N]"), "\(onTerminal.stdout)")
            #expect(onTerminal.stdout.contains("- deleted #3 Call mum"))
            #expect(await llm.requests.count == 8, "every scripted step was asked for, no more")
        }
    }
}
