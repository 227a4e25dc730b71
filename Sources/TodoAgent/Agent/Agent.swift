import Foundation
import TodoCore

/// Answers one user message, calling tools as the user; the model-backed agent and the offline agent both do.
public protocol Agent: Sendable {
    /// Which agent this is, for `/health` and the UI: `offline`, or `openai:<model>`.
    var label: String { get }

    /// Runs the turn, reporting text, tool calls and tool results through `emit` as they happen. A failure the user
    /// should see is thrown as `AgentFailure`; the steps completed before it are in the failure.
    func run(_ turn: AgentTurn, emit: @escaping @Sendable (AgentEvent) async -> Void) async throws -> AgentAnswer
}

/// One turn's input.
public struct AgentTurn: Sendable {
    /// Earlier messages, oldest first, without a system prompt.
    public var history: [ChatMessage]
    public var message: String
    public var userID: String
    public var now: Date
    public var timeZone: TimeZone
    /// Called with the tokens of each model step the server reports, as the turn runs (a failed turn's too).
    public var onUsage: @Sendable (TokenUsage) async -> Void

    public init(
        history: [ChatMessage], message: String, userID: String, now: Date = Date(), timeZone: TimeZone = .gmt,
        onUsage: @escaping @Sendable (TokenUsage) async -> Void = { _ in }
    ) {
        self.history = history
        self.message = message
        self.userID = userID
        self.now = now
        self.timeZone = timeZone
        self.onUsage = onUsage
    }
}

/// A turn's answer and the tool steps taken on the way.
public struct AgentAnswer: Sendable, Equatable {
    public var text: String
    public var steps: [ToolStep]
    /// The tokens the turn's model steps used, when the server reported them.
    public var usage: TokenUsage?

    public init(text: String, steps: [ToolStep], usage: TokenUsage? = nil) {
        self.text = text
        self.steps = steps
        self.usage = usage
    }
}

/// A turn that could not finish, with what it did before.
public struct AgentFailure: Error, Sendable {
    public var code: String
    public var message: String
    public var partial: AgentAnswer

    /// The code of a turn cut short by a graceful shutdown.
    public static let interruptedCode = "INTERRUPTED"
    /// The code of a turn the user stopped.
    public static let stoppedCode = "STOPPED"

    public init(code: String, message: String, partial: AgentAnswer) {
        self.code = code
        self.message = message
        self.partial = partial
    }
}
