import Foundation
import Testing
import TodoCore
import TodoMCP

/// Drives the Streamable HTTP endpoint the way a client does, for one user, without a network in between.
struct MCPClient {
    let endpoint: MCPHTTPEndpoint
    let userID: String
    var sessionID: String?
    var nextID: Int64 = 1

    init(_ endpoint: MCPHTTPEndpoint, userID: String) {
        self.endpoint = endpoint
        self.userID = userID
    }

    /// Posts raw bytes with the given headers.
    func post(_ body: String, accept: String? = "application/json", contentType: String? = "application/json", session: String?? = nil) async -> MCPHTTPReply {
        await endpoint.handle(
            MCPHTTPRequest(method: "POST", accept: accept, contentType: contentType, sessionID: session ?? sessionID, body: Data(body.utf8)),
            userID: userID
        )
    }

    /// Sends a request and returns its JSON-RPC response document.
    mutating func request(_ method: String, _ params: JSONValue? = nil, streaming: Bool = false) async throws -> JSONValue {
        var message: JSONValue = ["jsonrpc": "2.0", "id": .int(nextID), "method": .string(method)]
        if let params, case .object(var object) = message {
            object["params"] = params
            message = .object(object)
        }
        nextID += 1
        let reply = await post(message.text, accept: streaming ? "application/json, text/event-stream" : "application/json")
        return try await Self.document(reply)
    }

    /// Initializes a session and sends `notifications/initialized`.
    mutating func initialize(version: String = "2025-06-18") async throws -> JSONValue {
        let reply = await post(Self.initializeBody(version: version))
        sessionID = reply.headers.first { $0.name == MCPHeader.sessionID }?.value
        let response = try await Self.document(reply)
        let accepted = await post(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        #expect(accepted.status == 202)
        return response
    }

    /// Calls a tool and returns (isError, text).
    mutating func call(_ tool: String, _ arguments: JSONValue) async throws -> (Bool, String) {
        let response = try await request("tools/call", ["name": .string(tool), "arguments": arguments])
        guard case .string(let text)? = response["result"]?["content"].flatMap({ if case .array(let items) = $0 { items.first } else { nil } })?["text"]
        else { throw MCPTestError("no text content in \(response.text)") }
        return (response["result"]?["isError"] == true, text)
    }

    static func initializeBody(id: Int = 0, version: String = "2025-06-18") -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"method":"initialize","params":{"protocolVersion":"\#(version)","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#
    }

    /// The JSON document of a reply: the body itself, or the one `message` event of an SSE stream.
    static func document(_ reply: MCPHTTPReply) async throws -> JSONValue {
        switch reply.body {
        case .json(let data):
            guard let value = JSONValue.parse(String(decoding: data, as: UTF8.self)) else { throw MCPTestError("not JSON") }
            return value
        case .events(let stream):
            var text = ""
            for try await chunk in stream.events { text += String(decoding: chunk, as: UTF8.self) }
            let data = text.split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { $0.dropFirst(6) }
            guard data.count == 1, let value = JSONValue.parse(String(data[0])) else { throw MCPTestError("bad stream: \(text)") }
            return value
        case .empty:
            throw MCPTestError("empty reply with status \(reply.status)")
        }
    }
}

struct MCPTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
