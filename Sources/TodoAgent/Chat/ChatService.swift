import Foundation
import Logging
import TodoCore

/// One chat turn, statelessly: load the conversation from the store, store the user's message before the agent
/// runs, run the agent under the turn's deadline, and store the answer with its tool steps in one transaction.
/// Any replica can serve any turn, and a restart loses nothing already answered.
public struct ChatService: Sendable {
    public let agent: any Agent
    let store: any ConversationStore
    let historyLimit: Int
    let turnTimeout: Duration
    let logger: Logger
    /// The turns running now; serve-api drains them at shutdown.
    public let turns: RunningTurns
    /// The moment a turn happens, for words such as "tomorrow"; tests fix it.
    let now: @Sendable () -> Date

    /// The longest message a user may send, in characters.
    public static let messageLimit = 4000

    public init(
        agent: any Agent, store: any ConversationStore, historyLimit: Int, turnTimeout: Duration,
        turns: RunningTurns = RunningTurns(), logger: Logger, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.agent = agent
        self.now = now
        self.turns = turns
        self.store = store
        self.historyLimit = historyLimit
        self.turnTimeout = turnTimeout
        self.logger = logger
    }

    /// A service with the history window and deadline of `configuration`.
    public init(agent: any Agent, store: any ConversationStore, configuration: AgentConfiguration, logger: Logger) {
        self.init(
            agent: agent, store: store, historyLimit: configuration.historyLimit, turnTimeout: configuration.turnTimeout, logger: logger
        )
    }

    /// Checks a message before anything is stored: 1 to `messageLimit` characters of text.
    public static func validate(_ message: String) throws(TodoError) -> String {
        try TaskRules.storable(message, field: "message")
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .validation(field: "message", message: "message must not be empty") }
        guard trimmed.count <= messageLimit else {
            throw .validation(field: "message", message: "message must be at most \(messageLimit) characters")
        }
        return trimmed
    }

    /// Runs one turn. Events reach `emit` as they happen (`conversation` first, `done` or `error` last). A failure
    /// before the agent runs (validation, unknown conversation, store down) is thrown; a failure of the agent is
    /// reported as an `error` event and thrown as `TodoError.unavailable`, after what it did was stored.
    /// `ticket` is the turn's registration when the caller took it earlier (to refuse before a stream starts).
    public func send(
        _ message: String, conversationID: Int64?, userID: String, timeZone: TimeZone = .gmt,
        ticket: RunningTurns.Ticket? = nil, emit: @escaping @Sendable (AgentEvent) async -> Void
    ) async throws -> TurnSummary {
        let ticket = try ticket ?? turns.begin()
        // Ends only after the answer is stored: a draining shutdown waits for exactly that.
        defer { ticket.end() }
        let text = try Self.validate(message)
        let conversation = if let conversationID {
            try await store.conversation(id: conversationID, userID: userID)
        } else {
            try await store.createConversation(title: Self.title(from: text), userID: userID)
        }
        let history = StoredTurn.history(try await store.messages(conversationID: conversation.id, userID: userID, limit: historyLimit))
        _ = try await store.appendMessages([NewMessage(role: .user, content: text)], conversationID: conversation.id, userID: userID)
        await emit(.conversation(id: conversation.id))

        let turn = AgentTurn(history: history, message: text, userID: userID, now: now(), timeZone: timeZone)
        let outcome: Result<AgentAnswer, AgentFailure> = await run(turn, ticket: ticket, emit: emit)
        var answer = switch outcome {
        case .success(let answer): answer
        case .failure(let failure): failure.partial
        }
        let interrupted = if case .failure(let failure) = outcome { failure.code == AgentFailure.interruptedCode } else { false }
        // An interrupted turn is always recorded, even when nothing was done yet, so the conversation says so.
        if interrupted { answer.text = Self.interruptedText(answer.text) }
        if interrupted || !answer.text.isEmpty || !answer.steps.isEmpty {
            _ = try await store.appendMessages(
                [NewMessage(role: .assistant, content: answer.text, toolCalls: StoredTurn.toolCallsJSON(answer.steps))],
                conversationID: conversation.id, userID: userID
            )
        }
        switch outcome {
        case .success(let answer):
            let summary = TurnSummary(conversationID: conversation.id, response: answer.text, steps: answer.steps)
            await emit(.done(summary))
            return summary
        case .failure(let failure):
            logger.warning("chat turn failed", metadata: ["code": "\(failure.code)", "reason": "\(failure.message)", "user_id": "\(userID)"])
            await emit(.error(code: failure.code, message: failure.message))
            throw TodoError.unavailable(failure.message)
        }
    }

    /// The agent under the turn's deadline. Events of a turn that timed out are not passed on after the error.
    func run(
        _ turn: AgentTurn, ticket: RunningTurns.Ticket, emit: @escaping @Sendable (AgentEvent) async -> Void
    ) async -> Result<AgentAnswer, AgentFailure> {
        let progress = TurnProgress()
        let guarded: @Sendable (AgentEvent) async -> Void = { event in
            guard progress.record(event) else { return }
            await emit(event)
        }
        let (agent, timeout) = (agent, turnTimeout)
        return await withTaskGroup(of: Result<AgentAnswer, AgentFailure>?.self) { group in
            group.addTask {
                do {
                    return .success(try await agent.run(turn, emit: guarded))
                } catch let failure as AgentFailure {
                    // What the user saw (streamed text and finished steps) is what the conversation keeps.
                    return .failure(AgentFailure(code: failure.code, message: failure.message, partial: progress.partial))
                } catch {
                    return .failure(AgentFailure(code: "AGENT_FAILED", message: "The assistant failed unexpectedly.", partial: progress.partial))
                }
            }
            group.addTask {
                guard (try? await Task.sleep(for: timeout)) != nil else { return nil }
                return .failure(AgentFailure(
                    code: "TIMEOUT", message: "The assistant did not finish within \(timeout.formattedSeconds).", partial: progress.close()
                ))
            }
            group.addTask {
                guard await ticket.interrupted() != nil else { return nil }
                return .failure(AgentFailure(
                    code: AgentFailure.interruptedCode, message: "The server shut down before the assistant finished; send the message again.",
                    partial: progress.close()
                ))
            }
            var outcome: Result<AgentAnswer, AgentFailure>?
            while outcome == nil, let next = await group.next() {
                outcome = next
            }
            group.cancelAll()
            return outcome ?? .failure(AgentFailure(code: "AGENT_FAILED", message: "The assistant failed unexpectedly.", partial: progress.close()))
        }
    }

    /// What an interrupted turn stores as the assistant's text: what it had said, then a line saying it was cut.
    static func interruptedText(_ partial: String) -> String {
        let note = "[Interrupted: the server shut down before this answer was finished. Send the message again to continue.]"
        return partial.isEmpty ? note : partial + "\n\n" + note
    }

    /// A conversation's title: the start of its first message, on one line.
    static func title(from message: String) -> String {
        let line = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? message
        return line.count > 80 ? String(line.prefix(79)) + "…" : line
    }
}

/// What a running turn has shown so far, so a timed-out turn can store exactly the completed tool steps.
final class TurnProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    private var steps: [ToolStep] = []
    private var closed = false

    /// Records an event; false once the turn was closed, when the event must not be shown any more.
    func record(_ event: AgentEvent) -> Bool {
        lock.withLock {
            guard !closed else { return false }
            switch event {
            case .textDelta(let delta): text += delta
            case .toolResult(let step): steps.append(step)
            default: break
            }
            return true
        }
    }

    var partial: AgentAnswer { lock.withLock { AgentAnswer(text: text, steps: steps) } }

    /// Stops recording and returns what was completed.
    func close() -> AgentAnswer {
        lock.withLock {
            closed = true
            return AgentAnswer(text: text, steps: steps)
        }
    }
}
