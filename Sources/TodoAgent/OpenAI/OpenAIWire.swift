import Foundation
import TodoCore

/// The Chat Completions wire format: the request we send and the chunks (or the whole completion) we read.
enum OpenAIWire {
    static func requestBody(
        model: String, messages: [ChatMessage], tools: [ToolDefinition], toolsAllowed: Bool = true, stream: Bool,
        includeUsage: Bool = false
    ) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(model), "messages": .array(messages.map(message)), "stream": .bool(stream),
        ]
        if stream, includeUsage { body["stream_options"] = ["include_usage": true] }
        if !tools.isEmpty {
            body["tools"] = .array(tools.map { tool in
                ["type": "function", "function": ["name": .string(tool.name), "description": .string(tool.description), "parameters": tool.inputSchema]]
            })
            if !toolsAllowed { body["tool_choice"] = "none" }
        }
        return .object(body)
    }

    static func message(_ message: ChatMessage) -> JSONValue {
        var object: [String: JSONValue] = ["role": .string(message.role.rawValue), "content": .string(message.content)]
        if !message.toolCalls.isEmpty {
            if message.content.isEmpty { object["content"] = .null }
            object["tool_calls"] = .array(message.toolCalls.map { call in
                var wire: [String: JSONValue] = [
                    "id": .string(call.id), "type": "function",
                    "function": ["name": .string(call.name), "arguments": .string(call.replayableArguments)],
                ]
                if let extra = call.extraContent { wire["extra_content"] = extra }
                return .object(wire)
            })
        }
        if let id = message.toolCallID { object["tool_call_id"] = .string(id) }
        return .object(object)
    }

    /// One streamed chunk, or a whole completion (`message` instead of `delta`), or an error: `{"error": …}` (OpenAI,
    /// Ollama, llama.cpp; an object or a string) or vLLM's `{"object": "error", "message": …}`.
    struct Chunk: Decodable {
        let choices: [Choice]?
        let error: JSONValue?
        let object: String?
        let message: JSONValue?
        let usage: Usage?
        /// Groq reports usage here in the last streamed chunk.
        let xGroq: XGroq?

        enum CodingKeys: String, CodingKey {
            case choices, error, object, message, usage
            case xGroq = "x_groq"
        }

        /// The error this chunk reports, if it is one.
        var failure: ServerError? {
            if let error, error != .null {
                if let text = error.stringValue { return ServerError(message: text, code: nil) }
                return ServerError(
                    message: error["message"]?.stringValue ?? "unknown error",
                    code: error["code"]?.stringValue ?? error["type"]?.stringValue
                )
            }
            if object == "error" { return ServerError(message: message?.stringValue ?? "unknown error", code: nil) }
            return nil
        }

        var reportedUsage: TokenUsage? { (usage ?? xGroq?.usage)?.tokens }
    }

    struct ServerError {
        let message: String
        /// OpenAI's `code` or `type`, e.g. `insufficient_quota`.
        let code: String?
    }

    struct XGroq: Decodable {
        let usage: Usage?
    }

    struct Usage: Decodable {
        let promptTokens: Int?
        let completionTokens: Int?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
        }

        var tokens: TokenUsage? {
            guard promptTokens != nil || completionTokens != nil else { return nil }
            return TokenUsage(prompt: promptTokens ?? 0, completion: completionTokens ?? 0)
        }
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
        let extraContent: JSONValue?

        enum CodingKeys: String, CodingKey {
            case index, id, function
            case extraContent = "extra_content"
        }
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

    /// The error an error body reports, if it is one.
    static func serverError(_ body: String) -> ServerError? {
        guard let data = body.data(using: .utf8), let chunk = try? JSONDecoder().decode(Chunk.self, from: data) else { return nil }
        return chunk.failure
    }
}
