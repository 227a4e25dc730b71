import Foundation
import TodoCore

/// How a turn is stored: the assistant message's `tool_calls` column holds each call with its result, so a
/// stored message never claims a call whose result is missing; and how stored messages become model history.
enum StoredTurn {
    static func toolCallsJSON(_ steps: [ToolStep]) -> String? {
        guard !steps.isEmpty else { return nil }
        return JSONValue.array(steps.map(\.wire)).text
    }

    /// The model's view of stored messages: each assistant message expands into its tool calls, their results and
    /// its text. The window starts at a user message, so a cut never leaves a reply without its question.
    static func history(_ messages: [Message]) -> [ChatMessage] {
        var history: [ChatMessage] = []
        for message in messages.drop(while: { $0.role != .user }) {
            switch message.role {
            case .user:
                history.append(.user(message.content))
            case .assistant:
                let steps = message.toolCalls.flatMap(JSONValue.parse).flatMap { value -> [JSONValue]? in
                    if case .array(let items) = value { return items }
                    return nil
                } ?? []
                let calls = steps.compactMap { step -> (ToolCall, String)? in
                    guard let id = step["id"]?.stringValue, let name = step["name"]?.stringValue else { return nil }
                    let arguments = step["arguments"].map { $0.stringValue ?? $0.text } ?? "{}"
                    let result = step["result"].map { $0.stringValue ?? $0.text } ?? ""
                    return (ToolCall(id: id, name: name, arguments: arguments), result)
                }
                if !calls.isEmpty {
                    history.append(.assistant("", toolCalls: calls.map(\.0)))
                    history += calls.map { .tool($0.1, callID: $0.0.id) }
                }
                if !message.content.isEmpty { history.append(.assistant(message.content)) }
            case .tool, .system:
                continue
            }
        }
        return history
    }
}

extension ToolStep {
    /// A call and its result as the API and the store show them; arguments as JSON when they parse.
    public var wire: JSONValue {
        [
            "id": .string(call.id), "name": .string(call.name),
            "arguments": JSONValue.parse(call.arguments) ?? .string(call.arguments),
            "result": result.content, "is_error": .bool(result.isError),
        ]
    }
}
