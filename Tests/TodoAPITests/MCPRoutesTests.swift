import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TodoAPI
import TodoCore
import TodoTestSupport

/// `/mcp` over real HTTP: authentication, origins, limits, and a whole session with SSE answers.
@Suite(.heavy) struct MCPRoutesTests {
    static let sessionID = HTTPField.Name("MCP-Session-Id")!
    static let initialize = ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#)

    static func headers(_ bearer: String?, accept: String = "application/json, text/event-stream") -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json", .accept: accept]
        if let bearer { fields[.authorization] = "Bearer \(bearer)" }
        return fields
    }

    /// The JSON-RPC document of an SSE or JSON body.
    static func document(_ response: TestResponse) throws -> [String: Any] {
        let text = String(buffer: response.body)
        let payload = response.headers[.contentType] == "text/event-stream"
            ? text.split(separator: "\n").first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) } ?? ""
            : text
        return try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
    }

    @Test(arguments: StoreKind.available)
    func withoutABearerTokenTheAnswerIs401WithAChallenge(kind: StoreKind) async throws {
        try await withAPI(try kind.location(), mode: .live) { client in
            let ada = try await TestAccount.create(client, "mcp")
            var withCookie = Self.headers(nil)
            withCookie[.cookie] = ada.cookie
            for headers in [Self.headers(nil), Self.headers("not-a-token"), withCookie] {
                try await client.execute(uri: "/mcp", method: .post, headers: headers, body: Self.initialize) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="todo-chatbot""#)
                }
            }
            try await client.execute(uri: "/mcp", method: .get, headers: [.accept: "text/event-stream"]) { response in
                #expect(response.status == .unauthorized, "a cookie never authenticates MCP, a bearer token must")
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func aSessionOverHTTPWithSSEAndAJWT(kind: StoreKind) async throws {
        try await withAPI(try kind.location(), mode: .live) { client in
            let ada = try await TestAccount.create(client, "mcp")
            let issued = try await client.execute(uri: "/api/auth/token", method: .get, headers: [.cookie: ada.cookie])
            let jwt = try #require(try json(issued.body)["token"] as? String)
            for bearer in [ada.token, jwt] {
                let opened = try await client.execute(uri: "/mcp", method: .post, headers: Self.headers(bearer), body: Self.initialize)
                #expect(opened.status == .ok)
                #expect(opened.headers[.contentType] == "text/event-stream")
                let session = try #require(opened.headers[Self.sessionID])
                let result = try #require(try Self.document(opened)["result"] as? [String: Any])
                #expect(result["protocolVersion"] as? String == "2025-06-18")

                var headers = Self.headers(bearer)
                headers[Self.sessionID] = session
                let call = ByteBuffer(string: #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add_task","arguments":{"title":"From MCP"}}}"#)
                let called = try await client.execute(uri: "/mcp", method: .post, headers: headers, body: call)
                let content = try #require((try Self.document(called)["result"] as? [String: Any])?["structuredContent"] as? [String: Any])
                #expect(content["status"] as? String == "created")
                let id = try #require(content["task_id"] as? Int)
                let stored = try await client.execute(uri: "/api/tasks/\(id)", method: .get, headers: ada.bearer)
                #expect(try json(stored.body)["title"] as? String == "From MCP")

                let ended = try await client.execute(uri: "/mcp", method: .delete, headers: headers)
                #expect(ended.status == .noContent)
                let after = try await client.execute(uri: "/mcp", method: .post, headers: headers, body: call)
                #expect(after.status == .notFound)
            }
        }
    }

    @Test func foreignOriginsAreRefusedAndTrustedOnesAllowed() async throws {
        try await withAPI(mode: .live, configure: { $0.trustedOrigins = ["https://app.example.com"] }) { client in
            let ada = try await TestAccount.create(client, "mcp")
            let cases: [(String, HTTPResponse.Status)] = [
                ("https://evil.example.net", .forbidden), ("null", .forbidden),
                ("https://app.example.com", .ok), ("http://localhost:6274", .ok),
            ]
            for (origin, status) in cases {
                var headers = Self.headers(ada.token)
                headers[.origin] = origin
                let response = try await client.execute(uri: "/mcp", method: .post, headers: headers, body: Self.initialize)
                #expect(response.status == status, "\(origin)")
            }
        }
    }

    @Test func anOversizedBodyIs413() async throws {
        try await withAPI(mode: .live) { client in
            let ada = try await TestAccount.create(client, "mcp")
            let huge = ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":""# + String(repeating: "a", count: 70_000) + #""}}"#)
            let response = try await client.execute(uri: "/mcp", method: .post, headers: Self.headers(ada.token), body: huge)
            #expect(response.status == .contentTooLarge)
        }
    }
}
