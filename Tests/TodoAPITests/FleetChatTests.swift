import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TodoAPI
import TodoAgent
import TodoCore
import TodoTestSupport

/// Two replicas over one database: a reply running on one is stopped through the other, the last turn is
/// regenerated or edited, and a change made through one reaches an open `/api/events` stream on the other.
@Suite struct FleetChatTests {
    static var kinds: [StoreKind] { StoreKind.available.filter { $0 != .sqliteMemory } }

    /// Two live replicas of serve-api sharing `location`.
    static func withReplicas(
        _ location: DatabaseLocation, model: String? = nil,
        _ body: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol) async throws -> Void
    ) async throws {
        let configure: @Sendable (inout APIConfiguration) -> Void = { configuration in
            if let model { configuration.agent.model = .scripted(model, maxRetries: 0) }
            configuration.eventsPollInterval = .milliseconds(200)
            configuration.eventsSessionRecheck = .milliseconds(300)
        }
        try await withAPI(location, mode: .live, configure: configure) { first in
            try await withAPI(location, mode: .live, configure: configure) { second in
                try await body(first, second)
            }
        }
    }

    static func request(_ method: String, _ path: String, token: String, body: String? = nil, accept: String = "text/event-stream") -> String {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\nAccept: \(accept)\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        return head + "\r\n" + (body ?? "")
    }

    static func turnID(_ stream: String) throws -> String {
        let line = try #require(stream.split(separator: "\n").first { $0.hasPrefix("data: ") && $0.contains("turn_id") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any])
        return try #require(object["turn_id"] as? String)
    }

    @Test(arguments: kinds)
    func aStopSentToAnotherReplicaEndsTheReplyAndStoresItAsStopped(kind: StoreKind) async throws {
        // The model writes slowly: a word every 200 ms, 100 words — far longer than the test waits.
        let llm = ScriptedLLM([.slow((0..<100).map { ScriptedLLM.text("word\($0) ") }, every: .milliseconds(200))])
        try await llm.serve { model in
            try await Self.withReplicas(try kind.location(), model: model) { first, second in
                let ada = try await TestAccount.create(first, "stop")
                let chat = try await RawConnection.open(
                    port: try #require(first.port), request: Self.request("POST", "/api/chat", token: ada.token, body: #"{"message":"tell me a long story"}"#),
                    timeoutSeconds: 30
                )
                defer { chat.close() }
                let started = try await chat.read(until: "word1 ")
                let turnID = try Self.turnID(started)
                let conversation = try #require(
                    (try JSONSerialization.jsonObject(with: Data(started.split(separator: "\n").first { $0.contains("conversation_id") }!.dropFirst(6).utf8))
                        as? [String: Any])?["conversation_id"] as? Int
                )
                // A second message while the reply runs is refused: one turn at a time per conversation.
                let busy = try await second.execute(
                    uri: "/api/chat", method: .post, headers: ada.bearer,
                    body: ByteBuffer(string: #"{"message":"and another","conversation_id":\#(conversation)}"#)
                )
                #expect(busy.status == .conflict)
                #expect(String(buffer: busy.body).contains("TURN_RUNNING"))

                let asked = ContinuousClock.now
                let cancel = try await second.execute(
                    uri: "/api/conversations/\(conversation)/cancel", method: .post, headers: ada.bearer, body: ByteBuffer(string: #"{"turn_id":"\#(turnID)"}"#)
                )
                #expect(cancel.status == .accepted)
                #expect(String(buffer: cancel.body).contains(turnID))
                let ended = try await chat.read(until: "event: done")
                let took = ContinuousClock.now - asked
                // The stop arrives within the watcher's 250 ms poll; the bound only has to be far below the 20 s the
                // reply would run unstopped, so a slow machine cannot fail it.
                #expect(took < .seconds(10), "the stop reached the other replica's turn after \(took)")
                let done = try #require(ended.components(separatedBy: "event: done\ndata: ").last?.split(separator: "\n").first)
                let summary = try #require(try JSONSerialization.jsonObject(with: Data(done.utf8)) as? [String: Any])
                #expect(summary["status"] as? String == "stopped")
                #expect((summary["response"] as? String)?.hasPrefix("word0 word1 ") == true, "what was written stays")
                #expect((summary["response"] as? String)?.contains("word99") == false, "the reply did not run to its end")

                let detail = try json(try await second.execute(uri: "/api/conversations/\(conversation)", method: .get, headers: ada.bearer).body)
                let messages = try #require(detail["messages"] as? [[String: Any]])
                #expect(messages.map { $0["role"] as? String } == ["user", "assistant"])
                #expect(messages.last?["status"] as? String == "stopped")
                #expect(messages.map { $0["turn_id"] as? String } == [turnID, turnID])
                // Nothing runs now: a second stop is a 409, and the conversation takes the next message.
                let again = try await first.execute(uri: "/api/conversations/\(conversation)/cancel", method: .post, headers: ada.bearer)
                #expect(again.status == .conflict)
                #expect(String(buffer: again.body).contains("NO_RUNNING_TURN"))
                let eve = try await TestAccount.create(first, "eve")
                let theirs = try await second.execute(uri: "/api/conversations/\(conversation)/cancel", method: .post, headers: eve.bearer)
                #expect(theirs.status == .notFound, "another user's conversation does not exist for them")
            }
        }
    }

    @Test(arguments: kinds)
    func regenerateAndEditReplaceOnlyTheLastTurn(kind: StoreKind) async throws {
        try await Self.withReplicas(try kind.location()) { first, second in
            let ada = try await TestAccount.create(first, "regen")
            func send(_ client: any TestClientProtocol, _ object: [String: Any]) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/chat", method: .post, headers: ada.bearer, body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
                )
            }
            let one = try json(try await send(first, ["message": "add buy milk"]).body)
            let conversation = try #require(one["conversation_id"] as? Int)
            let oldTurn = try #require(one["turn_id"] as? String)
            let two = try json(try await send(second, ["message": "show my tasks", "conversation_id": conversation]).body)
            let lastTurn = try #require(two["turn_id"] as? String)

            let stale = try await send(first, ["message": "add eggs", "conversation_id": conversation, "replace_turn_id": oldTurn])
            #expect(stale.status == .conflict)
            #expect(String(buffer: stale.body).contains("TURN_NOT_LAST"))
            let orphan = try await send(first, ["message": "add eggs", "replace_turn_id": lastTurn])
            #expect(orphan.status == .unprocessableContent, "a replacement names its conversation")

            // Regenerate: the same question again, through the other replica.
            let regenerated = try json(try await send(second, ["message": "show my tasks", "conversation_id": conversation, "replace_turn_id": lastTurn]).body)
            let newTurn = try #require(regenerated["turn_id"] as? String)
            #expect(newTurn != lastTurn)
            // Edit: the last question changes.
            let edited = try json(try await send(first, ["message": "add bread", "conversation_id": conversation, "replace_turn_id": newTurn]).body)
            let editedTurn = try #require(edited["turn_id"] as? String)

            let detail = try json(try await first.execute(uri: "/api/conversations/\(conversation)", method: .get, headers: ada.bearer).body)
            let messages = try #require(detail["messages"] as? [[String: Any]])
            #expect(messages.map { $0["content"] as? String }.enumerated().filter { $0.offset % 2 == 0 }.map(\.element) == ["add buy milk", "add bread"])
            #expect(messages.map { $0["turn_id"] as? String } == [oldTurn, oldTurn, editedTurn, editedTurn])
            let tasks = try json(try await first.execute(uri: "/api/tasks", method: .get, headers: ada.bearer).body)
            #expect(Set((tasks["tasks"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }) == ["buy milk", "bread"])

            // The same through the conversation's own routes, which find the last turn themselves.
            let again = try await second.execute(uri: "/api/conversations/\(conversation)/regenerate", method: .post, headers: ada.bearer)
            #expect(again.status == .ok)
            let regeneratedTurn = try #require(try json(again.body)["turn_id"] as? String)
            let wrongTurn = try await first.execute(
                uri: "/api/conversations/\(conversation)/edit", method: .post, headers: ada.bearer,
                body: ByteBuffer(string: #"{"message":"add jam","turn_id":"\#(editedTurn)"}"#)
            )
            #expect(wrongTurn.status == .conflict, "the edited turn was replaced by the regenerated one")
            let noMessage = try await first.execute(uri: "/api/conversations/\(conversation)/edit", method: .post, headers: ada.bearer)
            #expect(noMessage.status == .unprocessableContent)
            let editedAgain = try await first.execute(
                uri: "/api/conversations/\(conversation)/edit", method: .post, headers: ada.bearer.adding(.accept, "text/event-stream"),
                body: ByteBuffer(string: #"{"message":"add jam","turn_id":"\#(regeneratedTurn)"}"#)
            )
            #expect(String(buffer: editedAgain.body).contains("event: done"))
            let final = try json(try await first.execute(uri: "/api/conversations/\(conversation)", method: .get, headers: ada.bearer).body)
            let contents = (final["messages"] as? [[String: Any]] ?? []).filter { $0["role"] as? String == "user" }.compactMap { $0["content"] as? String }
            #expect(contents == ["add buy milk", "add jam"])
            let eve = try await TestAccount.create(first, "eve")
            let theirs = try await second.execute(uri: "/api/conversations/\(conversation)/regenerate", method: .post, headers: eve.bearer)
            #expect(theirs.status == .notFound)
        }
    }

    @Test(arguments: kinds)
    func aChangeThroughOneReplicaReachesAStreamOnAnotherAndOnlyItsOwner(kind: StoreKind) async throws {
        try await Self.withReplicas(try kind.location()) { first, second in
            let ada = try await TestAccount.create(first, "live")
            let eve = try await TestAccount.create(first, "eve")
            let stream = try await RawConnection.open(port: try #require(first.port), request: Self.request("GET", "/api/events", token: ada.token))
            defer { stream.close() }
            let opened = try await stream.read(until: "event: ready")
            #expect(opened.contains("text/event-stream"))
            let eveStream = try await RawConnection.open(port: try #require(first.port), request: Self.request("GET", "/api/events", token: eve.token))
            defer { eveStream.close() }
            _ = try await eveStream.read(until: "event: ready")

            let created = try json(try await second.execute(
                uri: "/api/tasks", method: .post, headers: ada.bearer, body: ByteBuffer(string: #"{"title":"From the other replica"}"#)
            ).body)
            let id = try #require(created["id"] as? Int)
            let asked = ContinuousClock.now
            let seen = try await stream.read(until: "From the other replica")
            #expect(ContinuousClock.now - asked < .seconds(2), "within about two seconds")
            #expect(seen.contains("event: task.created"))
            let completed = try await second.execute(
                uri: "/api/tasks/\(id)/complete", method: .patch, headers: ada.bearer, body: ByteBuffer(string: #"{"completed":true}"#)
            )
            #expect(completed.status == .ok)
            _ = try await stream.read(until: "event: task.completed")
            _ = try await second.execute(uri: "/api/tasks/\(id)", method: .delete, headers: ada.bearer)
            let all = try await stream.read(until: "event: task.deleted")
            // The ready frame carries the log's position; each change follows once, in order.
            // Split on bytes: the chunked framing's CRLF is one Character, which a String split would not cut.
            let lines = all.utf8.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
            let ids = lines.filter { $0.hasPrefix("id: ") }.compactMap { Int64($0.dropFirst(4)) }.dropFirst()
            #expect(Array(ids) == ids.sorted() && ids.count == 3, "each change once, in order: \(ids)")

            // Eve's stream saw none of it: one more change of hers arrives, and nothing of Ada's before it.
            _ = try await second.execute(uri: "/api/tasks", method: .post, headers: eve.bearer, body: ByteBuffer(string: #"{"title":"Eve's own"}"#))
            let theirs = try await eveStream.read(until: "Eve's own")
            #expect(!theirs.contains("From the other replica"))

            // A client that reconnects with Last-Event-ID gets what it missed, from either replica.
            let resumed = try await RawConnection.open(
                port: try #require(second.port),
                request: Self.request("GET", "/api/events", token: ada.token).replacingOccurrences(of: "\r\n\r\n", with: "\r\nLast-Event-ID: \(ids.first ?? 0)\r\n\r\n")
            )
            defer { resumed.close() }
            let replay = try await resumed.read(until: "event: task.deleted")
            #expect(replay.contains("event: task.completed") && !replay.contains("event: task.created"), "replayed after \(ids.first ?? 0): \(replay)")
            let junk = try await first.execute(uri: "/api/events", method: .get, headers: ada.bearer.adding(HTTPField.Name("Last-Event-ID")!, "abc"))
            #expect(junk.status == .unprocessableContent)
        }
    }

    @Test(arguments: kinds)
    func signingOutOnOneReplicaEndsTheStreamOnAnother(kind: StoreKind) async throws {
        try await Self.withReplicas(try kind.location()) { first, second in
            let ada = try await TestAccount.create(first, "signout")
            let stream = try await RawConnection.open(port: try #require(first.port), request: Self.request("GET", "/api/events", token: ada.token))
            defer { stream.close() }
            _ = try await stream.read(until: "event: ready")
            let signedOut = try await second.execute(uri: "/api/auth/sign-out", method: .post, headers: ada.bearer)
            #expect(signedOut.status == .ok)
            // The chunked body's last chunk: the server ended the stream (a read timeout would fail here after 10 s).
            let ended = try await stream.read(until: "\r\n0\r\n\r\n")
            #expect(ended.hasSuffix("0\r\n\r\n"), "the stream of a signed-out session ends")
            let refused = try await first.execute(uri: "/api/events", method: .get, headers: ada.bearer)
            #expect(refused.status == .unauthorized)
        }
    }
}

extension HTTPFields {
    func adding(_ name: HTTPField.Name, _ value: String) -> HTTPFields {
        var fields = self
        fields[name] = value
        return fields
    }
}
