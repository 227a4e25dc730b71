import TodoCore

/// What a chat turn shows as it happens; the API sends each as one SSE event.
public enum AgentEvent: Sendable, Equatable {
    /// The turn's conversation and the turn's id (sent first).
    case conversation(id: Int64, turnID: String)
    case textDelta(String)
    case toolCall(ToolCall)
    case toolResult(ToolStep)
    /// The turn ended; the whole answer and every tool step.
    case done(TurnSummary)
    /// The turn failed; the message is safe to show.
    case error(code: String, message: String)
}

/// A tool call together with its result.
public struct ToolStep: Sendable, Equatable {
    public var call: ToolCall
    public var result: ToolResult

    public init(call: ToolCall, result: ToolResult) {
        self.call = call
        self.result = result
    }
}

/// What a finished turn produced.
public struct TurnSummary: Sendable, Equatable {
    public var conversationID: Int64
    public var turnID: String
    public var response: String
    public var steps: [ToolStep]
    /// `completed`, or `stopped` when the user stopped the turn (the response is what was written until then).
    public var status: TurnStatus

    public init(conversationID: Int64, turnID: String, response: String, steps: [ToolStep], status: TurnStatus = .completed) {
        self.conversationID = conversationID
        self.turnID = turnID
        self.response = response
        self.steps = steps
        self.status = status
    }
}
