import Foundation
import TodoCore

/// The Chat Completions wire format: the request we send and the chunks (or the whole completion) we read.
enum OpenAIWire {
    static func requestBody(model: String, messages: [ChatMessage], tools: [ToolDefinition], stream: Bool) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(model), "messages": .array(messages.map(message)), "stream": .bool(stream),
        ]
        if !tools.isEmpty {
            body["tools"] = .array(tools.map { tool in
                ["type": "function", "function": ["name": .string(tool.name), "description": .string(tool.description), "parameters": tool.inputSchema]]
            })
        }
        return .object(body)
    }

    static func message(_ message: ChatMessage) -> JSONValue {
        var object: [String: JSONValue] = ["role": .string(message.role.rawValue), "content": .string(message.content)]
        if !message.toolCalls.isEmpty {
            if message.content.isEmpty { object["content"] = .null }
            object["tool_calls"] = .array(message.toolCalls.map { call in
                ["id": .string(call.id), "type": "function", "function": ["name": .string(call.name), "arguments": .string(call.arguments)]]
            })
        }
        if let id = message.toolCallID { object["tool_call_id"] = .string(id) }
        return .object(object)
    }

    /// One streamed chunk, or a whole completion (`message` instead of `delta`), or an error object.
    struct Chunk: Decodable {
        let choices: [Choice]?
        let error: ErrorBody?
    }

    struct Choice: Decodable {
        let delta: Delta?
        let message: Delta?
        let finishReason: String?

        enum CodingKeys: String, CodingKey {
            case delta, message
            case finishReason = "finish_reason"
        }
    }

    struct Delta: Decodable {
        let content: String?
        let refusal: String?
        let toolCalls: [ToolCallDelta]?

        enum CodingKeys: String, CodingKey {
            case content, refusal
            case toolCalls = "tool_calls"
        }
    }

    struct ToolCallDelta: Decodable {
        let index: Int?
        let id: String?
        let function: FunctionDelta?
    }

    struct FunctionDelta: Decodable {
        let name: String?
        let arguments: String?

        enum CodingKeys: String, CodingKey { case name, arguments }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            // Some servers send the arguments as an object rather than as JSON text.
            switch try container.decodeIfPresent(JSONValue.self, forKey: .arguments) {
            case .string(let text)?: arguments = text
            case nil, .null?: arguments = nil
            case let other?: arguments = other.text
            }
        }
    }

    struct ErrorBody: Decodable {
        let message: String?
    }

    /// The `error.message` of an error body, if it has one.
    static func errorMessage(_ body: String) -> String? {
        guard let data = body.data(using: .utf8), let chunk = try? JSONDecoder().decode(Chunk.self, from: data) else { return nil }
        return chunk.error?.message
    }
}
