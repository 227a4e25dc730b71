import Foundation
import Testing
import TodoAgent
import TodoCore
import TodoStorage
import TodoTestSupport

/// Chat turns through the store: what is kept, when, and what a later turn (or a restarted server) sees.
@Suite(.heavy) struct ChatServiceTests {
    static func service(_ store: SQLStore, agent: (any Agent)? = nil, timeout: Duration = .seconds(10)) -> ChatService {
        ChatService(
            agent: agent ?? OfflineAgent(catalog: ToolCatalog(store: store)), store: store, historyLimit: 40,
            turnTimeout: timeout, logger: testLogger
        )
    }

    @Test(arguments: StoreKind.available)
    func aTurnStoresTheQuestionThenTheAnswerWithItsToolSteps(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store).id
            let events = ModelAgentTests.Events()
            let summary = try await Self.service(store).send("add buy milk tomorrow", conversationID: nil, userID: user) { events.add($0) }
            #expect(events.all.first == .conversation(id: summary.conversationID, turnID: summary.turnID))
            #expect(summary.turnID.hasPrefix("turn_") && summary.status == .completed)
            #expect(events.all.last == .done(summary))
            #expect(events.all.map(\.wireName) == ["conversation", "tool-call", "tool-result", "text-delta", "done"])
            let messages = try await store.messages(conversationID: summary.conversationID, userID: user, limit: 10)
            #expect(messages.map(\.role) == [.user, .assistant])
            #expect(messages[0].content == "add buy milk tomorrow")
            #expect(messages[1].content == summary.response)
            #expect(messages.map(\.turnID) == [summary.turnID, summary.turnID], "the question and its answer share the turn's id")
            #expect(messages[1].status == nil)
            let steps = messages[1].toolCalls.flatMap(JSONValue.parse)
            guard case .array(let stored)? = steps else { Issue.record("no tool calls stored"); return }
            #expect(stored.first?["name"] == "add_task")
            #expect(stored.first?["result"]?["status"] == "created", "the call is stored with its result")
            #expect(try await store.conversation(id: summary.conversationID, userID: user).title == "add buy milk tomorrow")
        }
    }

    @Test func aConversationResumesAfterARestartWithItsHistory() async throws {
        let path = TestFiles.temporaryPath("chat-restart.sqlite")
        let location = DatabaseLocation.sqliteFile(path: path)
        let (user, conversation) = try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
            _ = try await Migrator(database: database).migrate()
            let store = SQLStore(database: database)
            let user = try await makeUser(store).id
            let first = try await Self.service(store).send("add call mom", conversationID: nil, userID: user) { _ in }
            return (user, first.conversationID)
        }
        // A new process: a new database handle and service; the model must see the earlier turn.
        let llm = ScriptedLLM([.stream([ScriptedLLM.text("You added “call mom” earlier.")])])
        try await llm.serve { baseURL in
            try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
                let store = SQLStore(database: database)
                let client = OpenAIChatClient(OpenAIConfiguration(baseURL: baseURL, apiKey: nil, model: "m"), logger: testLogger)
                let agent = ModelAgent(model: client, catalog: ToolCatalog(store: store), maxSteps: 3)
                let summary = try await Self.service(store, agent: agent).send("what did I add?", conversationID: conversation, userID: user) { _ in }
                try await client.shutdown()
                #expect(summary.conversationID == conversation)
                let messages = try await store.messages(conversationID: conversation, userID: user, limit: 10)
                #expect(messages.map(\.role) == [.user, .assistant, .user, .assistant])
            }
        }
        guard case .array(let sent)? = await llm.requests.first?["messages"] else { Issue.record("no request"); return }
        #expect(sent.map { $0["role"]?.stringValue ?? "" } == ["system", "user", "assistant", "tool", "assistant", "user"])
        #expect(sent[1]["content"] == "add call mom")
        #expect(sent[2]["tool_calls"]?.text.contains("add_task") == true)
        #expect(sent[3]["content"]?.stringValue?.contains("created") == true)
        #expect(sent[5]["content"]?.stringValue?.hasSuffix("]\nwhat did I add?") == true, "the latest message, after the time note")
    }

    @Test func badMessagesAndForeignConversationsAreRefusedBeforeAnythingIsStored() async throws {
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store).id
            let other = try await makeUser(store).id
            let theirs = try await store.createConversation(title: "private", userID: other)
            let service = Self.service(store)
            for (message, conversation, expected) in [
                ("   ", nil, TodoError.validation(field: "message", message: "message must not be empty")),
                (String(repeating: "a", count: 4001), nil, .validation(field: "message", message: "message must be at most 4000 characters")),
                ("hi", theirs.id, .notFound(resource: "conversation", id: String(theirs.id))),
            ] as [(String, Int64?, TodoError)] {
                await #expect(throws: expected) { _ = try await service.send(message, conversationID: conversation, userID: user) { _ in } }
            }
            #expect(try await store.conversations(userID: user, limit: 10).isEmpty)
            #expect(try await store.messages(conversationID: theirs.id, userID: other, limit: 10).isEmpty)
        }
    }

    /// A user and a model agent whose model first calls add_task with `title`, then never answers again.
    static func withOneStepThenSilence(
        title: String, _ body: @escaping @Sendable (SQLStore, String, ModelAgent) async throws -> Void
    ) async throws {
        let llm = ScriptedLLM([.stream([ScriptedLLM.toolCall(id: "t1", name: "add_task", arguments: #"{"title":"\#(title)"}"#)]), .hang])
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store).id
            try await llm.serve { baseURL in
                let client = OpenAIChatClient(OpenAIConfiguration(baseURL: baseURL, apiKey: nil, model: "m", timeout: .seconds(60)), logger: testLogger)
                try await body(store, user, ModelAgent(model: client, catalog: ToolCatalog(store: store), maxSteps: 3))
                try await client.shutdown()
            }
        }
    }

    @Test func aTurnPastItsDeadlineStoresOnlyCompletedStepsAndReportsAnError() async throws {
        try await Self.withOneStepThenSilence(title: "Saved") { store, user, agent in
            let events = ModelAgentTests.Events()
            let start = ContinuousClock.now
            // The first step (a tool call) has 8 s to finish even on a slow, busy machine; the second never answers.
            await #expect(throws: TodoError.unavailable("The assistant did not finish within 8s.")) {
                _ = try await Self.service(store, agent: agent, timeout: .seconds(8)).send("add saved", conversationID: nil, userID: user) { events.add($0) }
            }
            #expect(ContinuousClock.now - start < .seconds(60), "the deadline ended the turn; the bound only catches a hang")
            #expect(events.all.last == .error(code: "TIMEOUT", message: "The assistant did not finish within 8s."))
            let conversation = try #require(try await store.conversations(userID: user, limit: 1).first)
            let messages = try await store.messages(conversationID: conversation.id, userID: user, limit: 10)
            try #require(messages.map(\.role) == [.user, .assistant])
            #expect(messages[1].toolCalls?.contains(#""status":"created""#) == true, "the completed step is kept with its result")
        }
    }

    @Test func aTurnInterruptedByAShutdownIsRecordedAsInterruptedWithTheStepsItFinished() async throws {
        try await Self.withOneStepThenSilence(title: "Kept") { store, user, agent in
            let service = Self.service(store, agent: agent, timeout: .seconds(60))
            let events = ModelAgentTests.Events()
            let turn = Task { try await service.send("add kept", conversationID: nil, userID: user) { events.add($0) } }
            // The first step has finished; the model now never answers, as if it were slow.
            while !events.all.contains(where: { $0.wireName == "tool-result" }) { try await Task.sleep(for: .milliseconds(20)) }
            let outcome = await service.turns.drain(within: .zero, grace: .seconds(60))
            #expect(outcome == (1, 1))
            let message = "The server shut down before the assistant finished; send the message again."
            await #expect(throws: TodoError.unavailable(message)) { _ = try await turn.value }
            #expect(events.all.last == .error(code: "INTERRUPTED", message: message))
            let conversation = try #require(try await store.conversations(userID: user, limit: 1).first)
            let messages = try await store.messages(conversationID: conversation.id, userID: user, limit: 10)
            try #require(messages.map(\.role) == [.user, .assistant], "the turn is recorded whole, not left as a lone question")
            #expect(messages[1].content.hasPrefix("[Interrupted: the server shut down"))
            #expect(messages[1].toolCalls?.contains(#""status":"created""#) == true, "the finished step is kept with its result")
            await #expect(throws: TodoError.unavailable("the server is shutting down; send the message again")) {
                _ = try await service.send("one more", conversationID: conversation.id, userID: user) { _ in }
            }
            #expect(try await store.messages(conversationID: conversation.id, userID: user, limit: 10).count == 2, "a refused turn stores nothing")
        }
    }
}
