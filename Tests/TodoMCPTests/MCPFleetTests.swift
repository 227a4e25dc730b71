import Foundation
import Testing
import TodoCore
import TodoMCP
import TodoStorage
import TodoTestSupport

/// Several replicas share one database: a session opened on one continues on any other, and the cap and the
/// end of a session hold across them.
@Suite struct MCPFleetTests {
    static func replica(_ store: SQLStore, perUser: Int = 10) -> MCPHTTPEndpoint {
        MCPHTTPEndpoint(registry: MCPHTTPEndpointTests.registry(store, perUser: perUser))
    }

    @Test(arguments: StoreKind.available)
    func aSessionContinuesOnEveryReplicaAndOutlivesTheOneThatOpenedIt(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store).id
            let replicas = (0..<3).map { _ in Self.replica(store) }
            var client = MCPClient(replicas[0], userID: user)
            _ = try await client.initialize()
            let session = try #require(client.sessionID)
            for round in 0..<6 {
                var next = MCPClient(replicas[round % 3], userID: user)
                next.sessionID = session
                next.nextID = Int64(100 + round)
                let (failed, text) = try await next.call("add_task", ["title": .string("task \(round)")])
                #expect(!failed, "round \(round) on replica \(round % 3): \(text)")
            }
            #expect(try await store.tasks(matching: TaskQuery(), userID: user).count == 6)
            // The replica that opened it goes away without a word (SIGKILL): the others carry on.
            await replicas[0].registry.closeAll()
            var survivor = MCPClient(replicas[2], userID: user)
            survivor.sessionID = session
            #expect(try await survivor.request("ping")["result"] == [:])
            // Another user who learns the id gets what an unknown id gets.
            var stranger = MCPClient(replicas[1], userID: try await makeUser(store).id)
            stranger.sessionID = session
            #expect(await stranger.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).status == 404)
            #expect(try await survivor.request("ping")["result"] == [:], "the stranger's try did not disturb it")
        }
    }

    @Test(arguments: StoreKind.available)
    func endingOnOneReplicaEndsItOnAllAndTheCapCountsEveryReplica(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store).id
            let (a, b) = (Self.replica(store, perUser: 2), Self.replica(store, perUser: 2))
            var first = MCPClient(a, userID: user)
            _ = try await first.initialize()
            _ = try await first.request("ping")
            let stream = await a.handle(
                MCPHTTPRequest(method: "GET", accept: "text/event-stream", sessionID: first.sessionID), userID: user
            )
            #expect(stream.status == 200)
            #expect(await b.handle(MCPHTTPRequest(method: "DELETE", sessionID: first.sessionID), userID: user).status == 204)
            #expect(await first.post(#"{"jsonrpc":"2.0","id":9,"method":"ping"}"#).status == 404, "ended on b, so gone on a")
            // Replica a's part (the open event stream) ends at its next sweep.
            var second = MCPClient(a, userID: user)
            _ = try await second.initialize()
            try await a.registry.sweep()
            #expect(await a.registry.count == 1)
            if case .events(let events) = stream.body {
                for try await _ in events.events {}
            }

            var third = MCPClient(b, userID: user)
            _ = try await third.initialize()
            var fourth = MCPClient(b, userID: user)
            _ = try await fourth.initialize()
            #expect(await second.post(#"{"jsonrpc":"2.0","id":10,"method":"ping"}"#).status == 404, "two sessions opened on b closed a's")
            #expect(try await third.request("ping")["result"] == [:])
            #expect(try await fourth.request("ping")["result"] == [:])
        }
    }

    /// Without the database no replica can tell whether a session is open: a 503 the client may retry, never a
    /// 404 that would make it throw its session away.
    @Test func aStalledSessionStoreIsA503WithRetryAfter() async throws {
        let (fd, port) = try silentListener()
        defer { close(fd) }
        let location = try DatabaseLocation.parse("postgresql://u:p@127.0.0.1:\(port)/db?sslmode=disable")
        try await DatabaseFactory.withDatabase(location, poolSize: 1, timeout: .milliseconds(300), logger: testLogger) { database in
            let store = SQLStore(database: database)
            let endpoint = MCPHTTPEndpoint(registry: MCPHTTPEndpointTests.registry(store))
            for request in [
                MCPHTTPRequest(method: "POST", accept: "application/json", contentType: "application/json", body: Data(MCPClient.initializeBody().utf8)),
                MCPHTTPRequest(method: "POST", accept: "application/json", contentType: "application/json", sessionID: "some-session",
                               body: Data(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#.utf8)),
                MCPHTTPRequest(method: "DELETE", sessionID: "some-session"),
            ] {
                let reply = await endpoint.handle(request, userID: "someone")
                #expect(reply.status == 503, "\(request.method)")
                #expect(reply.headers.contains { $0.name == "Retry-After" && $0.value == "1" })
            }
        }
    }
}
