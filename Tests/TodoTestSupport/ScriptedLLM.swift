import Foundation
import HTTPTypes
import Logging
import Hummingbird
import NIOCore
import TodoCore

/// A scripted OpenAI-compatible server on loopback: each request to `/chat/completions` takes the next reply of
/// the script and is recorded. The hosted LLM is the one boundary tests may fake.
public actor ScriptedLLM {
    public enum Reply: Sendable {
        /// SSE chunks (JSON data), then `[DONE]`.
        case stream([String])
        /// One whole completion as JSON, as servers that do not stream answer.
        case json(String)
        /// An error status with a body and headers.
        case status(Int, String, [String: String])
        /// Headers, then silence: a stalled server.
        case hang
        /// SSE chunks with a pause before each, then `[DONE]`.
        case slow([String], every: Duration)
        /// SSE chunks, then the connection drops without `[DONE]`.
        case truncated([String])
        /// A body exactly as a real server sent it (a recorded fixture), with its content type.
        case raw(contentType: String, body: String)
    }

    private var script: [Reply]
    public private(set) var requests: [JSONValue] = []

    public init(_ script: [Reply]) {
        self.script = script
    }

    func next(_ body: JSONValue) -> Reply {
        requests.append(body)
        return script.isEmpty ? .status(500, #"{"error":{"message":"script exhausted"}}"#, [:]) : script.removeFirst()
    }

    /// Serves the script on a free loopback port while `body` runs with the base URL.
    public func serve<T: Sendable>(_ body: @escaping @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("v1/chat/completions") { request, context -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let reply = await self.next(JSONValue.parse(String(buffer: bytes)) ?? .null)
            return Self.response(reply)
        }
        return try await serveOnLoopback(router, path: "/v1", body)
    }

    static func response(_ reply: Reply) -> Response {
        switch reply {
        case .stream(let chunks):
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                for chunk in chunks { try await writer.write(ByteBuffer(string: "data: \(chunk)\n\n")) }
                try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                try await writer.finish(nil)
            })
        case .json(let text):
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        case .status(let code, let body, let headers):
            var fields: HTTPFields = [.contentType: "application/json"]
            for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
            return Response(status: .init(code: code), headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
        case .slow(let chunks, let pause):
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                for chunk in chunks {
                    try await Task.sleep(for: pause)
                    try await writer.write(ByteBuffer(string: "data: \(chunk)\n\n"))
                }
                try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                try await writer.finish(nil)
            })
        case .truncated(let chunks):
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                for chunk in chunks { try await writer.write(ByteBuffer(string: "data: \(chunk)\n\n")) }
                try await Task.sleep(for: .milliseconds(100))
                throw CancellationError()
            })
        case .raw(let contentType, let body):
            return Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
        case .hang:
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                try await Task.sleep(for: .seconds(30))
                try await writer.finish(nil)
            })
        }
    }

    // Chunk builders in the Chat Completions shape.
    public static func text(_ content: String) -> String {
        JSONValue.object(["choices": [["index": 0, "delta": ["content": .string(content)]]]]).text
    }

    public static func toolCall(index: Int64 = 0, id: String? = nil, name: String? = nil, arguments: String? = nil) -> String {
        var function: [String: JSONValue] = [:]
        if let name { function["name"] = .string(name) }
        if let arguments { function["arguments"] = .string(arguments) }
        var call: [String: JSONValue] = ["index": .int(index), "type": "function", "function": .object(function)]
        if let id { call["id"] = .string(id) }
        return JSONValue.object(["choices": [["index": 0, "delta": ["tool_calls": [.object(call)]]]]]).text
    }

    /// The last chunk of a stream with `stream_options.include_usage`: no choices, the step's token counts.
    public static func usage(_ prompt: Int64, _ completion: Int64) -> String {
        JSONValue.object(["choices": [], "usage": ["prompt_tokens": .int(prompt), "completion_tokens": .int(completion)]]).text
    }

    public static func finish(_ reason: String) -> String {
        JSONValue.object(["choices": [["index": 0, "delta": [:], "finish_reason": .string(reason)]]]).text
    }
}

/// The port the server bound, set from its start callback.
public final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port = 0
    public init() {}
    public func set(_ value: Int) { lock.withLock { port = value } }
    public var value: Int { lock.withLock { port } }
}
