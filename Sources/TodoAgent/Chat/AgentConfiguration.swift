import TodoCore

/// What the agent needs to know: the model server (none means the offline agent) and the turn's limits.
public struct AgentConfiguration: Sendable {
    /// The OpenAI-compatible server; nil runs the offline agent, which needs no key and no network.
    public var model: OpenAIConfiguration?
    /// Tool rounds in one turn; one more model call (without tools) reports the last round's results.
    public var maxSteps = 8
    /// Characters of history the model sees besides its instructions and the latest message.
    public var contextCharacters = ContextBudget.defaultCharacters
    /// Deadline of one chat turn.
    public var turnTimeout = Duration.seconds(60)
    /// Stored messages of a conversation the model sees again each turn.
    public var historyLimit = 40
    /// Model tokens one user may spend per day (UTC); 0 is unlimited.
    public var dailyTokensPerUser = 0
    /// Deadline of one tool call.
    public var toolTimeout = Duration.seconds(15)

    public init(model: OpenAIConfiguration? = nil) {
        self.model = model
    }
}
