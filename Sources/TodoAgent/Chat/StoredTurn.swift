import Foundation
import TodoCore

/// How a turn is stored: the assistant message's `tool_calls` column holds each call with its result, so a
/// stored message never claims a call whose result is missing; and how stored messages become model history.
enum StoredTurn {
    static func toolCallsJSON(_ steps: [ToolStep]) -> String? {
        guard !steps.isEmpty else { return nil }
        return JSONValue.array(steps.map(\.stored)).text
    }

    /// What stands between two user messages when the first got no answer (its turn failed): chat templates that
    /// require user and assistant to alternate refuse two user messages in a row.
    static let noAnswer = "[No answer: that request failed.]"

    /// The model's view of stored messages: each assistant message expands into its tool calls, their results and
    /// its text. The window starts at a user message, so a cut never leaves a reply without its question.
    static func history(_ messages: [Message]) -> [ChatMessage] {
        var history: [ChatMessage] = []
        for message in messages.drop(while: { $0.role != .user }) {
            switch message.role {
            case .user:
                if history.last?.role == .user { history.append(.assistant(noAnswer)) }
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
                    return (ToolCall(id: id, name: name, arguments: arguments, extraContent: step["extra_content"]), result)
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
        // The new message follows, so an unanswered one at the end needs its stand-in too.
        if history.last?.role == .user { history.append(.assistant(noAnswer)) }
        return history
    }
}

extension ToolStep {
    /// The stored form: the wire form plus what the model must get back with the call (Gemini's thought
    /// signature), which the API does not show.
    var stored: JSONValue {
        guard let extra = call.extraContent, case .object(var object) = wire else { return wire }
        object["extra_content"] = extra
        return .object(object)
    }

    /// A call and its result as the API and the store show them; arguments as JSON when they parse.
    public var wire: JSONValue {
        [
            "id": .string(call.id), "name": .string(call.name),
            "arguments": JSONValue.parse(call.arguments) ?? .string(call.arguments),
            "result": result.content, "is_error": .bool(result.isError),
        ]
    }
}
