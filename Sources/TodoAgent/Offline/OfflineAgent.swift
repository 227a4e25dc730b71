import Foundation
import TodoCore

/// The agent without a language model: a deterministic reading of everyday sentences that calls the same tools
/// and emits the same events. It changes a task only when the words fit exactly one; otherwise it asks. Its
/// memory of the conversation (the last list, an open question, what "undo" reverts) is read from the history.
public struct OfflineAgent: Agent {
    let catalog: ToolCatalog

    public init(catalog: ToolCatalog) {
        self.catalog = catalog
    }

    public var label: String { "offline" }

    public func run(_ turn: AgentTurn, emit: @escaping @Sendable (AgentEvent) async -> Void) async throws -> AgentAnswer {
        let dates = DatePhrase(now: turn.now, timeZone: turn.timeZone)
        var session = OfflineSession(catalog: catalog, userID: turn.userID, emit: emit, memory: OfflineMemory(history: turn.history), dates: dates)
        let text = await session.answer(turn.message)
        await emit(.textDelta(text))
        return AgentAnswer(text: text, steps: session.steps)
    }
}
