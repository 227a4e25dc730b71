import TodoCore

extension AgentEvent {
    /// The SSE event name: `conversation`, `text-delta`, `tool-call`, `tool-result`, `done`, `error`.
    public var wireName: String {
        switch self {
        case .conversation: "conversation"
        case .textDelta: "text-delta"
        case .toolCall: "tool-call"
        case .toolResult: "tool-result"
        case .done: "done"
        case .error: "error"
        }
    }

    /// The event's JSON data.
    public var wireData: JSONValue {
        switch self {
        case .conversation(let id, let turnID): ["conversation_id": .int(id), "turn_id": .string(turnID)]
        case .textDelta(let text): ["delta": .string(text)]
        case .toolCall(let call):
            ["id": .string(call.id), "name": .string(call.name), "arguments": JSONValue.parse(call.arguments) ?? .string(call.arguments)]
        case .toolResult(let step): step.wire
        case .done(let summary): summary.wire
        case .error(let code, let message): ["code": .string(code), "message": .string(message)]
        }
    }

    /// One SSE frame of the event.
    public var sseFrame: String {
        SSEFrame.event(wireName, data: wireData.text)
    }
}

extension TurnSummary {
    /// The original spec's chat response, `{conversation_id, response, tool_calls}`, with the turn's id and status.
    public var wire: JSONValue {
        [
            "conversation_id": .int(conversationID), "response": .string(response), "tool_calls": .array(steps.map(\.wire)),
            "turn_id": .string(turnID), "status": .string(status.rawValue),
        ]
    }
}
