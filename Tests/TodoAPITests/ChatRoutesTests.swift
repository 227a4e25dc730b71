import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TodoAPI
import TodoAgent
import TodoCore
import TodoTestSupport

/// `/api/chat` and `/api/conversations` over HTTP, with the offline agent or a scripted model server.
@Suite(.heavy) struct ChatRoutesTests {
    static func chat(_ object: [String: Any]) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    /// The `(event, data)` pairs of an SSE body.
    static func events(_ body: ByteBuffer) -> [(String, [String: Any])] {
        var parser = SSEParser()
        return (parser.feed(body.readableBytesView) + parser.finish()).compactMap { event in
            guard let data = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any] else { return nil }
            return (event.event ?? "message", data)
        }
    }

    @Test(arguments: StoreKind.available)
    func aJSONTurnAnswersInTheOriginalShapeAndIsStored(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let ada = try await TestAccount.create(client, "chat")
            let response = try await client.execute(uri: "/api/chat", method: .post, headers: ada.bearer, body: Self.chat(["message": "add buy milk tomorrow", "time_zone": "Europe/Berlin"]))
            #expect(response.status == .ok)
            let body = try json(response.body)
            let conversation = try #require(body["conversation_id"] as? Int)
            #expect((body["response"] as? String)?.hasPrefix("Added “buy milk”") == true)
            let calls = try #require(body["tool_calls"] as? [[String: Any]])
            #expect(calls.first?["name"] as? String == "add_task")
            #expect((calls.first?["result"] as? [String: Any])?["status"] as? String == "created")

            let tasks = try json(try await client.execute(uri: "/api/tasks", method: .get, headers: ada.bearer).body)["tasks"] as? [[String: Any]]
            #expect(tasks?.first?["due_at"] as? String == "\(Self.tomorrowInBerlin())T08:00:00.000Z")

            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"agent_tool_calls_total{tool="add_task",outcome="ok"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"chat_turns_total{outcome="done"} 1"#))
            #expect(metrics.contains("chat_turn_duration_seconds_bucket"))

            let original = try await client.execute(
                uri: "/api/\(ada.id)/chat", method: .post, headers: ada.bearer, body: Self.chat(["message": "show my tasks", "conversation_id": conversation])
            )
            #expect(try json(original.body)["conversation_id"] as? Int == conversation)
            #expect((try json(original.body)["response"] as? String)?.contains("buy milk") == true)
            let foreign = try await client.execute(uri: "/api/someone-else/chat", method: .post, headers: ada.bearer, body: Self.chat(["message": "hi"]))
            #expect(foreign.status == .forbidden)

            let listed = try json(try await client.execute(uri: "/api/conversations", method: .get, headers: ada.bearer).body)
            let conversations = try #require(listed["conversations"] as? [[String: Any]])
            #expect(conversations.map { $0["id"] as? Int } == [conversation])
            #expect(conversations.first?["title"] as? String == "add buy milk tomorrow")
            let detail = try json(try await client.execute(uri: "/api/conversations/\(conversation)", method: .get, headers: ada.bearer).body)
            let messages = try #require(detail["messages"] as? [[String: Any]])
            #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user", "assistant"])
            #expect((messages[1]["tool_calls"] as? [[String: Any]])?.first?["name"] as? String == "add_task")

            let renamed = try await client.execute(uri: "/api/conversations/\(conversation)", method: .patch, headers: ada.bearer, body: Self.chat(["title": "Groceries"]))
            #expect(try json(renamed.body)["title"] as? String == "Groceries")
            #expect(try await client.execute(uri: "/api/conversations/\(conversation)", method: .delete, headers: ada.bearer).status == .noContent)
            #expect(try await client.execute(uri: "/api/conversations/\(conversation)", method: .get, headers: ada.bearer).status == .notFound)
        }
    }

    static func tomorrowInBerlin() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin")!
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: Date())!
        let parts = calendar.dateComponents([.year, .month, .day], from: tomorrow)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    @Test func anSSETurnStreamsEveryEventInOrder() async throws {
        try await withAPI(mode: .live) { client in
            let ada = try await TestAccount.create(client, "chat")
            var headers = ada.bearer
            headers[.accept] = "text/event-stream"
            let response = try await client.execute(uri: "/api/chat", method: .post, headers: headers, body: Self.chat(["message": "add call mom"]))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let events = Self.events(response.body)
            #expect(events.map(\.0) == ["conversation", "tool-call", "tool-result", "text-delta", "done"])
            #expect((events[1].1["arguments"] as? [String: Any])?["title"] as? String == "call mom")
            #expect(events[2].1["is_error"] as? Bool == false)
            #expect(events[4].1["conversation_id"] as? Int == events[0].1["conversation_id"] as? Int)
        }
    }

    @Test func refusalsArePreciseAndStoreNothing() async throws {
        try await withAPI(mode: .live) { client in
            let ada = try await TestAccount.create(client, "chat")
            let eve = try await TestAccount.create(client, "eve")
            let theirs = try json(try await client.execute(uri: "/api/chat", method: .post, headers: eve.bearer, body: Self.chat(["message": "add secret"])).body)["conversation_id"] as? Int
            var sse = ada.bearer
            sse[.accept] = "text/event-stream"
            let cases: [(HTTPFields, ByteBuffer, HTTPResponse.Status, String)] = [
                (ada.bearer, Self.chat(["message": ""]), .unprocessableContent, "VALIDATION_FAILED"),
                (ada.bearer, Self.chat(["message": String(repeating: "x", count: 4001)]), .unprocessableContent, "VALIDATION_FAILED"),
                (ada.bearer, Self.chat(["message": String(repeating: "x", count: 70_000)]), .contentTooLarge, "PAYLOAD_TOO_LARGE"),
                (ada.bearer, Self.chat(["message": "hi", "time_zone": "Mars/Olympus"]), .unprocessableContent, "VALIDATION_FAILED"),
                (ada.bearer, Self.chat(["text": "hi"]), .badRequest, "BAD_REQUEST"),
                (ada.bearer, Self.chat(["message": "hi", "conversation_id": theirs ?? 0]), .notFound, "NOT_FOUND"),
                (sse, Self.chat(["message": "hi", "conversation_id": theirs ?? 0]), .notFound, "NOT_FOUND"),
                ([.contentType: "application/json"], Self.chat(["message": "hi"]), .unauthorized, "UNAUTHORIZED"),
            ]
            for (headers, body, status, code) in cases {
                let response = try await client.execute(uri: "/api/chat", method: .post, headers: headers, body: body)
                #expect(response.status == status, "\(code)")
                let actual = (try json(response.body)["error"] as? [String: Any])?["code"] as? String
                #expect(actual == code, "\(String(describing: actual))")
            }
            let listed = try json(try await client.execute(uri: "/api/conversations", method: .get, headers: ada.bearer).body)
            #expect((listed["conversations"] as? [Any])?.isEmpty == true)
            #expect(try await client.execute(uri: "/api/conversations/\(theirs ?? 0)", method: .get, headers: ada.bearer).status == .notFound)
            #expect(try await client.execute(uri: "/api/conversations/\(theirs ?? 0)", method: .delete, headers: ada.bearer).status == .notFound)
        }
    }

    @Test func aClientThatLeavesMidStreamLeavesAConsistentConversation() async throws {
        let llm = ScriptedLLM([
            .stream([ScriptedLLM.toolCall(id: "c1", name: "add_task", arguments: #"{"title":"Survives"}"#)]),
            .slow([ScriptedLLM.text("Added "), ScriptedLLM.text("“Survives”.")], every: .milliseconds(300)),
        ])
        try await llm.serve { baseURL in
            try await withAPI(mode: .live, configure: { $0.agent.model = .scripted(baseURL) }) { client in
                let ada = try await TestAccount.create(client, "chat")
                let body = #"{"message":"add survives"}"#
                let request = "POST /api/chat HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(ada.token)\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                let seen = try await sendAndHangUp(port: try #require(client.port), request: request, after: "event: tool-result")
                #expect(seen.contains("event: tool-call"))
                #expect(!seen.contains("event: done"), "the client left before the answer")
                // The turn finishes without the client and is stored whole.
                var messages: [[String: Any]] = []
                for _ in 0..<100 {
                    let listed = try json(try await client.execute(uri: "/api/conversations", method: .get, headers: ada.bearer).body)
                    if let id = (listed["conversations"] as? [[String: Any]])?.first?["id"] as? Int {
                        let detail = try json(try await client.execute(uri: "/api/conversations/\(id)", method: .get, headers: ada.bearer).body)
                        messages = detail["messages"] as? [[String: Any]] ?? []
                        if messages.count == 2 { break }
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(messages.map { $0["role"] as? String } == ["user", "assistant"])
                #expect(messages.last?["content"] as? String == "Added “Survives”.")
                let steps = messages.last?["tool_calls"] as? [[String: Any]]
                #expect(steps?.count == 1)
                #expect((steps?.first?["result"] as? [String: Any])?["status"] as? String == "created", "no call without its result")
            }
        }
    }

    /// Token usage by model in /metrics, and the daily budget over HTTP: 429 with Retry-After and a reason.
    @Test func tokensShowInMetricsAndASpentBudgetIs429() async throws {
        let llm = ScriptedLLM([.stream([ScriptedLLM.text("Hello."), ScriptedLLM.usage(300, 20)])])
        try await llm.serve { baseURL in
            try await withAPI(mode: .live, configure: {
                $0.agent.model = .scripted(baseURL, maxRetries: 0)
                $0.agent.dailyTokensPerUser = 100
            }) { client in
                let ada = try await TestAccount.create(client, "tokens")
                let first = try await client.execute(uri: "/api/chat", method: .post, headers: ada.bearer, body: Self.chat(["message": "hi"]))
                #expect(try json(first.body)["response"] as? String == "Hello.")
                let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                #expect(metrics.contains(#"llm_tokens_total{model="openai:gpt-4o-mini",kind="prompt"} 300"#), "\(metrics)")
                #expect(metrics.contains(#"llm_tokens_total{model="openai:gpt-4o-mini",kind="completion"} 20"#))
                let refused = try await client.execute(uri: "/api/chat", method: .post, headers: ada.bearer, body: Self.chat(["message": "again"]))
                #expect(refused.status == .tooManyRequests)
                #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 > 0)
                let error = try #require(try json(refused.body)["error"] as? [String: Any])
                #expect(error["code"] as? String == "TOKEN_BUDGET_EXCEEDED")
                #expect((error["message"] as? String)?.contains("renews at midnight UTC") == true)
                #expect(try await client.execute(uri: "/api/tasks", method: .get, headers: ada.bearer).status == .ok, "tasks stay usable")
            }
        }
    }

    @Test func aModelStreamCutHalfwayIsAClearErrorAndOthersAreStillServed() async throws {
        let llm = ScriptedLLM([
            .truncated([ScriptedLLM.text("Let me add "), ScriptedLLM.text("that")]),
            .stream([ScriptedLLM.text("Still here.")]),
        ])
        try await llm.serve { baseURL in
            try await withAPI(mode: .live, configure: { $0.agent.model = .scripted(baseURL, maxRetries: 0) }) { client in
                let ada = try await TestAccount.create(client, "chat")
                var headers = ada.bearer
                headers[.accept] = "text/event-stream"
                let cut = try await client.execute(uri: "/api/chat", method: .post, headers: headers, body: Self.chat(["message": "add milk"]))
                let events = Self.events(cut.body)
                #expect(events.map(\.0) == ["conversation", "text-delta", "text-delta", "error"])
                #expect((events.last?.1["message"] as? String)?.hasPrefix("The model server could not be reached") == true)
                let conversation = try #require(events.first?.1["conversation_id"] as? Int)
                let detail = try json(try await client.execute(uri: "/api/conversations/\(conversation)", method: .get, headers: ada.bearer).body)
                let messages = try #require(detail["messages"] as? [[String: Any]])
                #expect(messages.map { $0["role"] as? String } == ["user", "assistant"])
                #expect(messages.last?["content"] as? String == "Let me add that")
                #expect(messages.last?["tool_calls"] is NSNull, "no tool call is claimed")

                let next = try await client.execute(uri: "/api/chat", method: .post, headers: ada.bearer, body: Self.chat(["message": "hello?"]))
                #expect(try json(next.body)["response"] as? String == "Still here.", "the server keeps serving")
            }
        }
    }

    @Test func aUserRunsAtMostTheirCapOfTurnsAtOnce() async throws {
        let llm = ScriptedLLM([.hang, .stream([ScriptedLLM.text("Free again.")])])
        try await llm.serve { baseURL in
            try await withAPI(mode: .live, configure: { settings in
                settings.agent.model = .scripted(baseURL, maxRetries: 0)
                settings.agent.turnTimeout = .seconds(3)
                settings.chatTurnsPerUser = 1
            }) { client in
                let ada = try await TestAccount.create(client, "chat")
                let eve = try await TestAccount.create(client, "chat")
                // On a connection of its own, so the requests below are not queued behind it.
                let port = try #require(client.port)
                let first = Task {
                    try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(60))) { other in
                        try await other.post("/api/chat", headers: ada.bearer, body: Self.chat(["message": "hang"]))
                    }
                }
                while await llm.requests.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
                let second = try await client.execute(uri: "/api/chat", method: .post, headers: ada.bearer, body: Self.chat(["message": "again"]))
                #expect(second.status == .tooManyRequests)
                #expect(second.headers[.retryAfter] != nil)
                let other = try await client.execute(uri: "/api/conversations", method: .get, headers: eve.bearer)
                #expect(other.status == .ok, "other users and other routes are not held up")
                #expect(try await first.value.head.status == .serviceUnavailable, "the held turn ends at AGENT_TIMEOUT")
                let third = try await client.execute(uri: "/api/chat", method: .post, headers: ada.bearer, body: Self.chat(["message": "now?"]))
                #expect(try json(third.body)["response"] as? String == "Free again.", "the place is given back when a turn ends")
            }
        }
    }

    @Test func idleStreamsGetHeartbeats() async throws {
        let llm = ScriptedLLM([.slow([ScriptedLLM.text("Slow answer.")], every: .milliseconds(700))])
        try await llm.serve { baseURL in
            try await withAPI(mode: .live, configure: { $0.agent.model = .scripted(baseURL); $0.chatHeartbeat = .milliseconds(200) }) { client in
                let ada = try await TestAccount.create(client, "chat")
                var headers = ada.bearer
                headers[.accept] = "text/event-stream"
                let response = try await client.execute(uri: "/api/chat", method: .post, headers: headers, body: Self.chat(["message": "hi"]))
                let text = String(buffer: response.body)
                #expect(text.contains(": keep-alive\n\n"))
                #expect(Self.events(response.body).last?.0 == "done")
            }
        }
    }

    @Test func healthNamesTheActiveAgent() async throws {
        try await withAPI { client in
            let health = try json(try await client.execute(uri: "/health", method: .get).body)
            #expect(health["agent"] as? String == "offline")
        }
        try await withAPI(configure: { $0.agent.model = OpenAIConfiguration(baseURL: "http://127.0.0.1:9/v1", apiKey: nil, model: "llama3") }) { client in
            let health = try json(try await client.execute(uri: "/health", method: .get).body)
            #expect(health["agent"] as? String == "openai:llama3")
        }
    }
}
