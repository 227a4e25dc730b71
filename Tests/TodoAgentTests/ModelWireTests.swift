import Foundation
import NIOHTTP1
import Testing
@testable import TodoAgent
import TodoCore
import TodoStorage
import TodoTestSupport

/// What real servers send that the agent must survive: calls without `index`, malformed arguments in history,
/// Gemini's thought signatures, finish reasons, errors inside the stream, quota and Retry-After, usage.
@Suite(.heavy) struct ModelWireTests {
    typealias Agent = ModelAgentTests

    static let signature: JSONValue = ["google": ["thought_signature": "CiQB0e2Kb0xU3vZQ=="]]

    @Test func parallelCallsWithoutAnIndexAreTwoCallsNotOne() async throws {
        try await Agent.withAgent([]) { _, store, user, _ async throws in
            let first = try await store.createTask(try NewTask(title: "Water plants"), userID: user)
            let second = try await store.createTask(try NewTask(title: "Pay rent"), userID: user)
            // Non-streamed calls never carry an index; Gemini's streamed ones often do not either.
            let whole = #"{"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"a","type":"function","function":{"name":"complete_task","arguments":"{\"task_id\":\#(first.id)}"}},{"id":"b","type":"function","function":{"name":"complete_task","arguments":"{\"task_id\":\#(second.id)}"}}]},"finish_reason":"tool_calls"}]}"#
            let streamed = #"{"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"{\"task_id\":\#(first.id)}","name":"update_task"},"type":"function"},{"function":{"arguments":"{\"task_id\":\#(second.id),\"priority\":\"high\"}","name":"update_task"},"type":"function"}]},"finish_reason":"stop","index":0}]}"#
            let llm = ScriptedLLM([
                .json(whole), .stream([ScriptedLLM.text("Both done.")]),
                .stream([streamed]), .stream([ScriptedLLM.text("Updated.")]),
            ])
            try await llm.serve { baseURL in
                let client = OpenAIChatClient(OpenAIConfiguration(baseURL: baseURL, apiKey: nil, model: "m"), logger: testLogger)
                defer { Task { try? await client.shutdown() } }
                let agent = ModelAgent(model: client, catalog: ToolCatalog(store: store), maxSteps: 4)
                let (answer, _) = try await Agent.run(agent, "both are done", user: user)
                #expect(answer.steps.map(\.call.name) == ["complete_task", "complete_task"])
                #expect(answer.steps.allSatisfy { !$0.result.isError })
                let (again, _) = try await Agent.run(agent, "first has no priority change, second is high", user: user)
                #expect(again.steps.count == 2)
                #expect(again.steps[0].result.text.contains("Nothing to update"), "a call of its own, with its own arguments")
                #expect(Set(again.steps.map(\.call.id)).count == 2)
            }
            #expect(try await store.task(id: first.id, userID: user).completed)
            #expect(try await store.task(id: second.id, userID: user).completed)
            #expect(try await store.task(id: second.id, userID: user).priority == .high)
        }
    }

    @Test func geminisThoughtSignatureGoesBackWithItsCall() async throws {
        let call = #"{"choices":[{"delta":{"role":"assistant","tool_calls":[{"extra_content":{"google":{"thought_signature":"CiQB0e2Kb0xU3vZQ=="}},"function":{"arguments":"{}","name":"list_tasks"},"id":"function-call-1","type":"function"}]},"finish_reason":"stop","index":0}]}"#
        try await Agent.withAgent([.stream([call]), .stream([ScriptedLLM.text("No tasks.")])]) { agent, _, user, llm async throws in
            let (answer, _) = try await Agent.run(agent, "what do I have", user: user)
            #expect(answer.steps.first?.call.extraContent == Self.signature)
            let assistant = await llm.requests.last?["messages"]?.arrayValue?.first { $0["tool_calls"] != nil }
            #expect(assistant?["tool_calls"]?.arrayValue?.first?["extra_content"] == Self.signature)

            // Stored and read back for the next turn, it still goes with the call; the API's view does not show it.
            let stored = try #require(StoredTurn.toolCallsJSON(answer.steps))
            let history = StoredTurn.history([
                Message(id: 1, conversationID: 1, userID: user, role: .user, content: "what do I have", createdAt: Date()),
                Message(id: 2, conversationID: 1, userID: user, role: .assistant, content: "No tasks.", toolCalls: stored, createdAt: Date()),
            ])
            #expect(history[1].toolCalls.first?.extraContent == Self.signature)
            #expect(OpenAIWire.message(history[1])["tool_calls"]?.arrayValue?.first?["extra_content"] == Self.signature)
            #expect(answer.steps.first?.wire["extra_content"] == nil)
        }
    }

    @Test func malformedOrEmptyArgumentsAreNeverSentBack() async throws {
        try await Agent.withAgent([
            .stream([
                ScriptedLLM.toolCall(index: 0, id: "x", name: "add_task", arguments: #"{"title": "oops"#),
                ScriptedLLM.toolCall(index: 1, id: "y", name: "list_tasks"),
            ]),
            .stream([ScriptedLLM.text("Sorry.")]),
        ]) { agent, _, user, llm async throws in
            let (answer, _) = try await Agent.run(agent, "add oops", user: user)
            #expect(answer.steps[0].result.isError)
            #expect(!answer.steps[1].result.isError, "empty arguments are no arguments")
            let assistant = await llm.requests.last?["messages"]?.arrayValue?.first { $0["tool_calls"] != nil }
            let sent = assistant?["tool_calls"]?.arrayValue?.compactMap { $0["function"]?["arguments"]?.stringValue }
            #expect(sent == ["{}", "{}"])

            // From stored history too: a conversation with one bad call keeps working.
            let stored = #"[{"id":"x","name":"add_task","arguments":"{\"title\": \"oops","result":"The arguments of add_task are not valid JSON.","is_error":true}]"#
            let history = StoredTurn.history([
                Message(id: 1, conversationID: 1, userID: user, role: .user, content: "add oops", createdAt: Date()),
                Message(id: 2, conversationID: 1, userID: user, role: .assistant, content: "", toolCalls: stored, createdAt: Date()),
            ])
            #expect(OpenAIWire.message(history[1])["tool_calls"]?.arrayValue?.first?["function"]?["arguments"] == "{}")
        }
    }

    @Test func anAnswerCutAtTheLengthLimitFailsAndRunsNoCall() async throws {
        try await Agent.withAgent([
            .stream([ScriptedLLM.text("Adding "), ScriptedLLM.toolCall(index: 0, id: "c", name: "add_task", arguments: #"{"title":"Bu"#), ScriptedLLM.finish("length")]),
        ]) { agent, store, user, llm async throws in
            await #expect {
                _ = try await Agent.run(agent, "add buy milk", user: user)
            } throws: { error in
                guard let failure = error as? AgentFailure else { return false }
                return failure.code == "MODEL_LENGTH" && failure.message.contains("cut off") && failure.partial.text == "Adding "
            }
            #expect(try await store.tasks(matching: TaskQuery(), userID: user).isEmpty)
            #expect(await llm.requests.count == 1)
        }
    }

    @Test func aContentFilterStopIsReportedNotSilent() async throws {
        try await Agent.withAgent([.stream([ScriptedLLM.finish("content_filter")])]) { agent, _, user, _ async throws in
            await #expect {
                _ = try await Agent.run(agent, "hi", user: user)
            } throws: { error in
                (error as? AgentFailure)?.code == "MODEL_FILTERED"
            }
        }
    }

    @Test func vLLMsErrorObjectInsideTheStreamIsAnError() async throws {
        let error = #"{"object":"error","message":"This model's maximum context length is 4096 tokens.","type":"BadRequestError","param":null,"code":400}"#
        try await Agent.withAgent([.truncated([error])], retries: 0) { agent, _, user, _ in
            await #expect {
                _ = try await Agent.run(agent, "hi", user: user)
            } throws: { error in
                guard let failure = error as? AgentFailure else { return false }
                return failure.code == "MODEL_UNAVAILABLE" && failure.message.contains("maximum context length is 4096")
            }
        }
    }

    @Test func anExhaustedQuotaIsNotRetried() async throws {
        let body = #"{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#
        try await Agent.withAgent([.status(429, body, [:]), .stream([ScriptedLLM.text("never")])]) { agent, _, user, llm async throws in
            await #expect {
                _ = try await Agent.run(agent, "hi", user: user)
            } throws: { error in
                (error as? AgentFailure)?.message.contains("quota is used up") == true
            }
            #expect(await llm.requests.count == 1)
        }
    }

    @Test func retryAfterAsAnHTTPDateIsHonoured() async throws {
        let now = Date(timeIntervalSince1970: 1_764_590_000)
        var headers = HTTPHeaders()
        headers.add(name: "Retry-After", value: "Mon, 01 Dec 2025 11:53:27 GMT")
        #expect(OpenAIChatClient.retryAfter(headers, now: now) == .seconds(7))
        headers.replaceOrAdd(name: "Retry-After", value: "Mon, 01 Dec 2025 11:53:10 GMT")
        #expect(OpenAIChatClient.retryAfter(headers, now: now) == .zero, "a date in the past means now")
        headers.replaceOrAdd(name: "Retry-After", value: "soon")
        #expect(OpenAIChatClient.retryAfter(headers, now: now) == nil)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        #expect(HTTPDate.parse("Sun, 31 Feb 1994 08:49:37 GMT") == nil)

        try await Agent.withAgent([
            .status(429, #"{"error":{"message":"slow down"}}"#, ["Retry-After": "Sun, 06 Nov 1994 08:49:37 GMT"]),
            .stream([ScriptedLLM.text("Hello!")]),
        ]) { agent, _, user, llm async throws in
            #expect(try await Agent.run(agent, "hi", user: user).0.text == "Hello!")
            #expect(await llm.requests.count == 2)
        }
    }

    @Test func usageIsAskedForUntilTheServerRefusesItAndThenNever() async throws {
        let refusal = #"{"error":{"message":"Unrecognized request argument supplied: stream_options","type":"invalid_request_error"}}"#
        let usage = #"{"choices":[],"usage":{"prompt_tokens":100,"completion_tokens":5,"total_tokens":105}}"#
        try await Agent.withAgent([
            .stream([ScriptedLLM.toolCall(id: "l", name: "list_tasks", arguments: "{}"), usage]),
            .status(400, refusal, [:]),
            .stream([ScriptedLLM.text("None.")]),
            .stream([ScriptedLLM.text("Still none.")]),
        ]) { agent, _, user, llm async throws in
            let (answer, _) = try await Agent.run(agent, "list", user: user)
            #expect(answer.text == "None.")
            #expect(answer.usage == TokenUsage(prompt: 100, completion: 5))
            #expect(try await Agent.run(agent, "list again", user: user).0.text == "Still none.")
            let requests = await llm.requests
            #expect(requests.map { $0["stream_options"]?["include_usage"] } == [true, true, nil, nil])
        }
    }

    @Test func usageOfEveryStepIsAddedUp() async throws {
        try await Agent.withAgent([
            .stream([ScriptedLLM.toolCall(id: "l", name: "list_tasks", arguments: "{}"), ScriptedLLM.usage(300, 10)]),
            .stream([ScriptedLLM.text("None."), ScriptedLLM.usage(350, 4)]),
        ]) { agent, _, user, _ async throws in
            #expect(try await Agent.run(agent, "list", user: user).0.usage == TokenUsage(prompt: 650, completion: 14))
        }
    }

    @Test func noCallStartsOnceTheTurnIsCancelled() async throws {
        try await Agent.withAgent([
            .stream([
                ScriptedLLM.toolCall(index: 0, id: "1", name: "add_task", arguments: #"{"title":"First"}"#),
                ScriptedLLM.toolCall(index: 1, id: "2", name: "add_task", arguments: #"{"title":"Second"}"#),
            ]),
        ]) { agent, store, user, _ async throws in
            let events = Agent.Events()
            let turn = AgentTurn(history: [], message: "add two", userID: user)
            // The turn's deadline cancels the agent's task; here the first call's result does, at the same point.
            let run = Task {
                try await agent.run(turn) { event in
                    events.add(event)
                    if case .toolResult = event { withUnsafeCurrentTask { $0?.cancel() } }
                }
            }
            let outcome = await run.result
            #expect(throws: CancellationError.self) { try outcome.get() }
            #expect(events.results.count == 1)
            #expect(try await store.tasks(matching: TaskQuery(), userID: user).map(\.title) == ["First"])
        }
    }

    @Test func toolResultsShowTimesInTheUsersZone() async throws {
        try await Agent.withAgent([
            .stream([ScriptedLLM.toolCall(id: "a", name: "add_task", arguments: #"{"title":"Dentist","due_at":"2026-12-02T09:00:00+13:00"}"#)]),
            .stream([ScriptedLLM.toolCall(id: "b", name: "list_tasks", arguments: "{}")]),
            .stream([ScriptedLLM.text("Dentist tomorrow at 9.")]),
        ]) { agent, _, user, _ async throws in
            let turn = AgentTurn(history: [], message: "dentist tomorrow 9am", userID: user, timeZone: TimeZone(identifier: "Pacific/Auckland")!)
            let answer = try await agent.run(turn) { _ in }
            #expect(answer.steps[1].result.text.contains(#""due_at":"2026-12-02T09:00:00+13:00""#), "\(answer.steps[1].result.text)")
        }
    }

    @Test func twoUserMessagesInARowGetAStandInAnswer() {
        let stamp = Date()
        let history = StoredTurn.history([
            Message(id: 1, conversationID: 1, userID: "u", role: .user, content: "first (its turn failed)", createdAt: stamp),
            Message(id: 2, conversationID: 1, userID: "u", role: .user, content: "second (failed too)", createdAt: stamp),
        ])
        #expect(history.map(\.role) == [.user, .assistant, .user, .assistant], "the new message follows a stand-in, not a user message")
        #expect(history[1].content == StoredTurn.noAnswer)
    }
}

/// The context budget: old tool results shortened first, then the oldest exchanges dropped; instructions and the
/// latest message never cut.
@Suite struct ContextBudgetTests {
    static let list = JSONValue.array((1...47).map { ["id": .int($0), "title": .string("Task number \($0) with a longer title")] }).text

    static func exchange(_ n: Int) -> [ChatMessage] {
        [
            .user("message \(n)"), .assistant("", toolCalls: [ToolCall(id: "c\(n)", name: "list_tasks", arguments: "{}")]),
            .tool(list, callID: "c\(n)"), .assistant("You have 47 tasks."),
        ]
    }

    @Test func underTheBudgetNothingChanges() {
        let history = Self.exchange(1)
        let fitted = ContextBudget(characters: 100_000).fit(system: .system("rules"), history: history, latest: .user("now"))
        #expect(fitted == [.system("rules")] + history + [.user("now")])
    }

    @Test func oldToolResultsAreShortenedOldestFirst() {
        let history = Self.exchange(1) + Self.exchange(2)
        let one = history.reduce(0) { $0 + ContextBudget.size($1) }
        // Room for everything but one of the two long results.
        let budget = ContextBudget(characters: one - Self.list.utf8.count / 2 + 200)
        let fitted = budget.fit(system: .system("rules"), history: history, latest: .user("now"))
        #expect(fitted.count == history.count + 2, "nothing dropped")
        #expect(fitted[3].content == "[earlier result, shortened: 47 tasks listed; call list_tasks again for details]")
        #expect(fitted[7].content == Self.list, "the newer result stays whole")
        #expect(fitted.reduce(0) { $0 + ContextBudget.size($1) } <= budget.characters)
    }

    @Test func thenTheOldestExchangesGoAndTheRulesStay() {
        let history = (1...30).flatMap(Self.exchange)
        let system = ChatMessage.system(String(repeating: "rule ", count: 400))
        let latest = ChatMessage.user(String(repeating: "x", count: 3000))
        let budget = ContextBudget(characters: 6000)
        let fitted = budget.fit(system: system, history: history, latest: latest)
        #expect(fitted.first == system)
        #expect(fitted.last == latest)
        #expect(fitted.reduce(0) { $0 + ContextBudget.size($1) } <= budget.characters)
        #expect(fitted[1].role == .user, "the history starts at a user message")
        #expect(fitted.contains { $0.content == "message 30" }, "the newest exchanges are what is kept")
        #expect(!fitted.contains { $0.content == "message 1" })
        for (index, message) in fitted.enumerated() where message.role == .tool {
            #expect(fitted[index - 1].toolCalls.contains { $0.id == message.toolCallID }, "no result without its call")
        }
        // Even a budget smaller than the rules and the message keeps both whole.
        let tiny = ContextBudget(characters: 10).fit(system: system, history: history, latest: latest)
        #expect(tiny == [system, latest])
    }
}
