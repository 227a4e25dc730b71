import Foundation
import Logging
import Testing
import TodoCore
import TodoMCP
import TodoStorage
import TodoTestSupport

@Suite struct MCPHTTPEndpointTests {
    static func registry(
        _ store: SQLStore, perUser: Int = 10, idle: Duration = .seconds(600), now: @escaping @Sendable () -> Date = Date.init
    ) -> MCPSessionRegistry {
        MCPSessionRegistry(
            tools: TodoToolServer(catalog: ToolCatalog(store: store)), store: store, sessionsPerUser: perUser, idleTimeout: idle,
            now: now, logger: testLogger
        )
    }

    @Test(arguments: StoreKind.available)
    func aClientInitializesListsAndCallsEveryTool(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let registry = Self.registry(store)
            let user = try await makeUser(store).id
            var client = MCPClient(MCPHTTPEndpoint(registry: registry), userID: user)
            let initialized = try await client.initialize()
            #expect(initialized["result"]?["protocolVersion"] == "2025-06-18")
            #expect(initialized["result"]?["serverInfo"]?["name"] == "todo-chatbot")
            #expect(initialized["result"]?["capabilities"]?["tools"] != nil)
            #expect(client.sessionID != nil)

            let listed = try await client.request("tools/list")
            guard case .array(let tools)? = listed["result"]?["tools"] else { Issue.record("no tools: \(listed.text)"); return }
            #expect(tools.compactMap { $0["name"] } == ["add_task", "list_tasks", "complete_task", "delete_task", "update_task", "restore_task"])
            #expect(tools[0]["inputSchema"]?["required"] == ["title"])
            #expect(tools[1]["annotations"]?["readOnlyHint"] == true)
            #expect(tools[3]["annotations"]?["destructiveHint"] == true)

            let (failed, text) = try await client.call("add_task", ["title": "Buy groceries"])
            #expect(!failed)
            guard case .int(let id)? = JSONValue.parse(text)?["task_id"] else { Issue.record("no id: \(text)"); return }
            #expect(JSONValue.parse(text) == ["task_id": .int(id), "status": "created", "title": "Buy groceries"])
            #expect(try await store.task(id: id, userID: user).title == "Buy groceries")
            let (_, listText) = try await client.call("list_tasks", [:])
            #expect(JSONValue.parse(listText).map { if case .array(let items) = $0 { items.count } else { 0 } } == 1)
            #expect(try await client.call("update_task", ["task_id": .int(id), "title": "Buy food"]).1.contains(#""status":"updated""#))
            #expect(try await client.call("complete_task", ["task_id": .int(id)]).1.contains(#""status":"completed""#))
            #expect(try await store.task(id: id, userID: user).completed)
            let unconfirmed = try await client.call("delete_task", ["task_id": .int(id)])
            #expect(unconfirmed.0 && unconfirmed.1.contains("needs the user's confirmation") && unconfirmed.1.contains(#""confirm": true"#))
            #expect(try await store.task(id: id, userID: user).title == "Buy food", "nothing deleted without confirm")
            #expect(try await client.call("delete_task", ["task_id": .int(id), "confirm": true]).1.contains(#""status":"deleted""#))
            let missing = try await client.call("complete_task", ["task_id": .int(id)])
            #expect(missing == (true, "No task \(id). Call list_tasks to see the ids."))
            await registry.closeAll()
        }
    }

    @Test(arguments: ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"])
    func everySupportedProtocolVersionIsNegotiated(version: String) async throws {
        try await withStore(.sqliteMemory) { store in
            var client = MCPClient(MCPHTTPEndpoint(registry: Self.registry(store)), userID: try await makeUser(store).id)
            #expect(try await client.initialize(version: version)["result"]?["protocolVersion"] == .string(version))
        }
    }

    @Test func anUnknownProtocolVersionGetsTheLatest() async throws {
        try await withStore(.sqliteMemory) { store in
            var client = MCPClient(MCPHTTPEndpoint(registry: Self.registry(store)), userID: try await makeUser(store).id)
            #expect(try await client.initialize(version: "1999-01-01")["result"]?["protocolVersion"] == "2025-11-25")
        }
    }

    @Test func sseIsUsedWhenTheClientAsksForIt() async throws {
        try await withStore(.sqliteMemory) { store in
            var client = MCPClient(MCPHTTPEndpoint(registry: Self.registry(store)), userID: try await makeUser(store).id)
            _ = try await client.initialize()
            let reply = await client.post(#"{"jsonrpc":"2.0","id":"s1","method":"tools/list"}"#, accept: "application/json, text/event-stream")
            #expect(reply.headers.contains { $0 == ("Content-Type", "text/event-stream") })
            let response = try await MCPClient.document(reply)
            #expect(response["id"] == "s1")
            #expect(response["result"]?["tools"] != nil)
        }
    }

    @Test func protocolErrorsHaveTheirJSONRPCCodes() async throws {
        try await withStore(.sqliteMemory) { store in
            var client = MCPClient(MCPHTTPEndpoint(registry: Self.registry(store)), userID: try await makeUser(store).id)
            _ = try await client.initialize()
            let cases: [(String, Int, Int64)] = [
                ("{not json", 400, -32700),
                (#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, 400, -32600),
                (#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#, 200, -32600),
                (#"{"jsonrpc":"2.0","id":7,"method":"resources/list"}"#, 200, -32601),
                (#"{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"arguments":{}}}"#, 200, -32602),
                (#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"add_task","arguments":"x"}}"#, 200, -32602),
                (#"{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"drop_tables"}}"#, 200, -32602),
                (#"{"jsonrpc":"2.0","id":11,"method":"tools/list","params":[1]}"#, 200, -32602),
            ]
            for (body, status, code) in cases {
                let reply = await client.post(body)
                let document = try await MCPClient.document(reply)
                #expect(reply.status == status, "\(body)")
                #expect(document["error"]?["code"] == .int(code), "\(body): \(document.text)")
            }
            #expect(try await store.tasks(matching: TaskQuery(), userID: client.userID).isEmpty)
        }
    }

    @Test func requestsOutsideASessionAreRefusedClearly() async throws {
        try await withStore(.sqliteMemory) { store in
            let client = MCPClient(MCPHTTPEndpoint(registry: Self.registry(store)), userID: try await makeUser(store).id)
            // Newer clients probe server/discover first and fall back to initialize on -32601.
            let discover = try await MCPClient.document(await client.post(#"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{}}"#))
            #expect(discover["error"]?["code"] == -32601)
            #expect(discover["id"] == 1)
            #expect(await client.post(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#).status == 400)
            #expect(await client.post(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#, session: "no-such-session").status == 404)
            #expect(await client.post(MCPClient.initializeBody(), contentType: "text/plain").status == 415)
            #expect(await client.post(MCPClient.initializeBody(), accept: "text/html").status == 406)
            let badInit = await client.post(#"{"jsonrpc":"2.0","id":3,"method":"initialize","params":{"capabilities":{}}}"#)
            #expect(try await MCPClient.document(badInit)["error"]?["code"] == -32602)
            #expect(await client.registryCount == 0, "no session was opened by a refused request")
        }
    }

    @Test func anotherUsersSessionIsNotFound() async throws {
        try await withStore(.sqliteMemory) { store in
            let endpoint = MCPHTTPEndpoint(registry: Self.registry(store))
            var ada = MCPClient(endpoint, userID: try await makeUser(store).id)
            _ = try await ada.initialize()
            _ = try await ada.call("add_task", ["title": "Ada's secret"])
            var eve = MCPClient(endpoint, userID: try await makeUser(store).id)
            eve.sessionID = ada.sessionID
            let hijack = await eve.post(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_tasks"}}"#)
            #expect(hijack.status == 404)
            let delete = await endpoint.handle(MCPHTTPRequest(method: "DELETE", sessionID: ada.sessionID), userID: eve.userID)
            #expect(delete.status == 404)
            #expect(try await ada.request("ping")["result"] == [:], "Ada's session is untouched")
        }
    }

    @Test func aSessionEndsWithDeleteAndItsStreamCloses() async throws {
        try await withStore(.sqliteMemory) { store in
            let endpoint = MCPHTTPEndpoint(registry: Self.registry(store))
            var client = MCPClient(endpoint, userID: try await makeUser(store).id)
            _ = try await client.initialize()
            let get = MCPHTTPRequest(method: "GET", accept: "text/event-stream", sessionID: client.sessionID)
            let events = await endpoint.handle(get, userID: client.userID)
            #expect(events.status == 200)
            #expect(await endpoint.handle(get, userID: client.userID).status == 409, "one event stream per session")
            #expect(await endpoint.handle(MCPHTTPRequest(method: "GET", accept: "application/json", sessionID: client.sessionID), userID: client.userID).status == 406)
            #expect(await endpoint.handle(MCPHTTPRequest(method: "DELETE", sessionID: client.sessionID), userID: client.userID).status == 204)
            guard case .events(let stream) = events.body else { Issue.record("no stream"); return }
            for try await _ in stream.events {}
            #expect(await client.post(#"{"jsonrpc":"2.0","id":5,"method":"ping"}"#).status == 404)
            #expect(await endpoint.handle(MCPHTTPRequest(method: "PUT"), userID: client.userID).status == 405)
        }
    }

    @Test func sessionsPerUserAreCappedAndIdleOnesExpire() async throws {
        try await withStore(.sqliteMemory) { store in
            let clock = ManualClock()
            let registry = Self.registry(store, perUser: 2, idle: .seconds(60), now: clock.now)
            let endpoint = MCPHTTPEndpoint(registry: registry)
            let user = try await makeUser(store).id
            var first = MCPClient(endpoint, userID: user)
            _ = try await first.initialize()
            clock.advance(by: 1)
            var second = MCPClient(endpoint, userID: user)
            _ = try await second.initialize()
            clock.advance(by: 1)
            var third = MCPClient(endpoint, userID: user)
            _ = try await third.initialize()
            #expect(await registry.count == 2)
            #expect(await first.post(#"{"jsonrpc":"2.0","id":5,"method":"ping"}"#).status == 404, "the least recently used session was closed")
            #expect(try await third.request("ping")["result"] == [:])

            clock.advance(by: 61)
            try await registry.sweep()
            #expect(await registry.count == 0)
            #expect(await third.post(#"{"jsonrpc":"2.0","id":6,"method":"ping"}"#).status == 404)
        }
    }

    @Test func aCancelledRequestReleasesItsWaiter() async throws {
        // A tool call that outlives its cancellation must not hold the HTTP exchange open.
        let (fd, port) = try silentListener()
        defer { close(fd) }
        let location = try DatabaseLocation.parse("postgresql://u:p@127.0.0.1:\(port)/db?sslmode=disable")
        try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
            // The sessions are in a database that answers; the tool's database never does.
            try await withStore(.sqliteMemory) { sessions in
            let registry = MCPSessionRegistry(
                tools: TodoToolServer(catalog: ToolCatalog(store: SQLStore(database: database), timeout: .seconds(30))),
                store: sessions, sessionsPerUser: 10, idleTimeout: .seconds(600), logger: testLogger
            )
            var client = MCPClient(MCPHTTPEndpoint(registry: registry), userID: try await makeUser(sessions).id)
            _ = try await client.initialize()
            let call = Task { [client] in
                await client.post(#"{"jsonrpc":"2.0","id":"slow","method":"tools/call","params":{"name":"list_tasks"}}"#)
            }
            try await Task.sleep(for: .milliseconds(300))
            _ = await client.post(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"slow"}}"#)
            let reply = await call.value
            #expect(reply.status == 404)
            await registry.closeAll()
            }
        }
    }

    @Test func aSlowToolTimesOutAsAToolError() async throws {
        let (fd, port) = try silentListener()
        defer { close(fd) }
        let location = try DatabaseLocation.parse("postgresql://u:p@127.0.0.1:\(port)/db?sslmode=disable")
        try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: testDatabaseDeadline, logger: testLogger) { database in
            let catalog = ToolCatalog(store: SQLStore(database: database), timeout: .milliseconds(300))
            let start = ContinuousClock.now
            let result = await catalog.call("add_task", arguments: ["title": "t"], userID: "nobody")
            #expect(result == .failure("The tool 'add_task' did not answer within 0.3s. Try again shortly."))
            #expect(ContinuousClock.now - start < .seconds(20), "the tool deadline ended the call, not the database deadline (60 s)")
        }
    }
}

extension MCPClient {
    var registryCount: Int {
        get async { await endpoint.registry.count }
    }
}
