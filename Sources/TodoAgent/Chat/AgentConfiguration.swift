import TodoCore

/// What the agent needs to know: the model server (none means the offline agent) and the turn's limits.
public struct AgentConfiguration: Sendable {
    /// The OpenAI-compatible server; nil runs the offline agent, which needs no key and no network.
    public var model: OpenAIConfiguration?
    /// Model calls in one turn, tool rounds included.
    public var maxSteps = 8
    /// Deadline of one chat turn.
    public var turnTimeout = Duration.seconds(60)
    /// Stored messages of a conversation the model sees again each turn.
    public var historyLimit = 40
    /// Deadline of one tool call.
    public var toolTimeout = Duration.seconds(15)

    public init(model: OpenAIConfiguration? = nil) {
        self.model = model
    }
}
