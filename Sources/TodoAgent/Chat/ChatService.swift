import Foundation
import Logging
import TodoCore

/// One chat turn, statelessly: load the conversation from the store, record the running turn with the user's
/// message before the agent runs, run the agent under the turn's deadline, and store the answer with its tool
/// steps in one transaction. Any replica can serve any turn, stop any turn, and a restart loses nothing answered.
public struct ChatService: Sendable {
    public let agent: any Agent
    let store: any ChatStore
    let historyLimit: Int
    let turnTimeout: Duration
    let logger: Logger
    /// The turns running now; serve-api drains them at shutdown.
    public let turns: RunningTurns
    /// The moment a turn happens, for words such as "tomorrow"; tests fix it.
    let now: @Sendable () -> Date
    /// The daily model tokens per user; nil counts nothing (the offline agent).
    let budget: TokenBudget?
    /// Told the tokens of every model step, for metrics; set by the app.
    public var usageObserver: @Sendable (TokenUsage) -> Void = { _ in }

    /// The longest message a user may send, in characters.
    public static let messageLimit = 4000
    /// How often a replica marks its running turns as alive (`TurnWatcher`).
    public static let heartbeatInterval = Duration.seconds(5)
    /// A running turn not marked alive for this long belongs to a replica that is gone.
    public static let abandonedAfter: TimeInterval = 20

    public init(
        agent: any Agent, store: any ChatStore, historyLimit: Int, turnTimeout: Duration,
        turns: RunningTurns = RunningTurns(), budget: TokenBudget? = nil, logger: Logger, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.agent = agent
        self.budget = budget
        self.now = now
        self.turns = turns
        self.store = store
        self.historyLimit = historyLimit
        self.turnTimeout = turnTimeout
        self.logger = logger
    }

    /// A service with the history window and deadline of `configuration`.
    public init(agent: any Agent, store: any ChatStore, configuration: AgentConfiguration, logger: Logger) {
        self.init(
            agent: agent, store: store, historyLimit: configuration.historyLimit, turnTimeout: configuration.turnTimeout,
            budget: configuration.model == nil ? nil : TokenBudget(dailyTokens: configuration.dailyTokensPerUser, store: store), logger: logger
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

    /// Runs one turn: `start`, then `complete`. Events reach `emit` as they happen (`conversation` first, `done` or
    /// `error` last). `ticket` is the turn's registration when the caller took it earlier (to refuse before a
    /// stream starts).
    public func send(
        _ message: String, conversationID: Int64?, userID: String, timeZone: TimeZone = .gmt, replacing: String? = nil,
        ticket: RunningTurns.Ticket? = nil, emit: @escaping @Sendable (AgentEvent) async -> Void
    ) async throws -> TurnSummary {
        let ticket = try ticket ?? turns.begin()
        // Ends only after the answer is stored: a draining shutdown waits for exactly that.
        defer { ticket.end() }
        let started = try await start(
            message, conversationID: conversationID, userID: userID, timeZone: timeZone, replacing: replacing, ticket: ticket
        )
        return try await complete(started, emit: emit)
    }

    /// A turn recorded as running, with its question stored, ready for the agent.
    public struct StartedTurn: Sendable {
        public let conversationID: Int64
        public let turnID: String
        let agentTurn: AgentTurn
        let ticket: RunningTurns.Ticket
    }

    /// Everything that can refuse a turn, before any of it streams: validation, an unknown conversation, another
    /// turn running in it (409), a `replacing` that is not the last turn (409), the store down. Records the running
    /// turn and the user's message; `replacing` names the conversation's last turn to regenerate or edit, whose
    /// messages this turn's replace.
    public func start(
        _ message: String, conversationID: Int64?, userID: String, timeZone: TimeZone = .gmt, replacing: String? = nil,
        ticket: RunningTurns.Ticket
    ) async throws -> StartedTurn {
        let text = try Self.validate(message)
        if replacing != nil, conversationID == nil {
            throw TodoError.validation(field: "replace_turn_id", message: "replace_turn_id needs the conversation_id of its conversation")
        }
        try await budget?.check(userID: userID, now: now())
        let conversation = if let conversationID {
            try await store.conversation(id: conversationID, userID: userID)
        } else {
            try await store.createConversation(title: Self.title(from: text), userID: userID)
        }
        let turnID = "turn_" + RandomID.make(length: 20)
        let question = try await store.startTurn(
            id: turnID, conversationID: conversation.id, userID: userID, message: text, replacing: replacing,
            staleBefore: now().addingTimeInterval(-Self.abandonedAfter)
        )
        ticket.bind(to: turnID)
        let stored = try await store.messages(conversationID: conversation.id, userID: userID, limit: historyLimit + 1)
        let history = StoredTurn.history(stored.filter { $0.id != question.id }.suffix(historyLimit))
        return StartedTurn(
            conversationID: conversation.id, turnID: turnID,
            agentTurn: AgentTurn(
                history: history, message: text, userID: userID, now: now(), timeZone: timeZone, onUsage: usageRecorder(userID: userID)
            ),
            ticket: ticket
        )
    }

    /// Runs the agent on a started turn and stores how it ended. A failure of the agent is reported as an `error`
    /// event and thrown as `TodoError.unavailable`, after what it did was stored; a stopped turn ends with `done`
    /// whose status is `stopped`.
    public func complete(_ started: StartedTurn, emit: @escaping @Sendable (AgentEvent) async -> Void) async throws -> TurnSummary {
        let (conversationID, turnID, userID) = (started.conversationID, started.turnID, started.agentTurn.userID)
        await emit(.conversation(id: conversationID, turnID: turnID))

        let outcome: Result<AgentAnswer, AgentFailure> = await run(started.agentTurn, ticket: started.ticket, emit: emit)
        var answer = switch outcome {
        case .success(let answer): answer
        case .failure(let failure): failure.partial
        }
        let status: TurnStatus = switch outcome {
        case .success: .completed
        case .failure(let failure) where failure.code == AgentFailure.interruptedCode: .interrupted
        case .failure(let failure) where failure.code == AgentFailure.stoppedCode: .stopped
        case .failure: .failed
        }
        // An interrupted or stopped turn is always recorded, even when nothing was done yet, so the conversation says so.
        if status == .interrupted { answer.text = Self.interruptedText(answer.text) }
        let recorded = status == .interrupted || status == .stopped || !answer.text.isEmpty || !answer.steps.isEmpty
        try await store.finishTurn(
            id: turnID, conversationID: conversationID, userID: userID,
            answer: recorded
                ? NewMessage(
                    role: .assistant, content: answer.text, toolCalls: StoredTurn.toolCallsJSON(answer.steps), turnID: turnID,
                    status: status == .completed ? nil : status
                )
                : nil,
            status: status
        )
        switch outcome {
        case .success(let answer):
            let summary = TurnSummary(conversationID: conversationID, turnID: turnID, response: answer.text, steps: answer.steps)
            await emit(.done(summary))
            return summary
        case .failure where status == .stopped:
            let summary = TurnSummary(conversationID: conversationID, turnID: turnID, response: answer.text, steps: answer.steps, status: .stopped)
            await emit(.done(summary))
            return summary
        case .failure(let failure):
            logger.warning("chat turn failed", metadata: ["code": "\(failure.code)", "reason": "\(failure.message)", "user_id": "\(userID)"])
            await emit(.error(code: failure.code, message: failure.message))
            throw TodoError.unavailable(failure.message)
        }
    }

    /// The conversation's last turn: its id and the user's message, for regenerate and edit.
    public func lastTurn(conversationID: Int64, userID: String) async throws -> (id: String, message: String) {
        let recent = try await store.messages(conversationID: conversationID, userID: userID, limit: historyLimit)
        guard let question = recent.last(where: { $0.role == .user }) else {
            throw TodoError.stateConflict(code: "NO_TURN", message: "This conversation has no message to regenerate or edit yet.")
        }
        guard let id = question.turnID else {
            throw TodoError.stateConflict(code: "NO_TURN", message: "The last message was stored before turns had ids; send it again instead.")
        }
        return (id, question.content)
    }

    /// Asks the conversation's running turn to stop, wherever it runs: the shared record tells its replica, and a
    /// turn running here stops at once.
    public func stop(conversationID: Int64, userID: String, turnID: String?) async throws -> StopRequest {
        let request = try await store.requestStop(
            conversationID: conversationID, userID: userID, turnID: turnID, staleBefore: now().addingTimeInterval(-Self.abandonedAfter)
        )
        turns.stop(turnID: request.turnID)
        return request
    }

    /// Counts a step's tokens for the user's day and for metrics. A store that fails here costs the count, never
    /// the turn.
    func usageRecorder(userID: String) -> @Sendable (TokenUsage) async -> Void {
        let (budget, observer, now, logger) = (budget, usageObserver, now, logger)
        return { usage in
            observer(usage)
            do {
                try await budget?.record(usage, userID: userID, now: now())
            } catch {
                logger.warning("token usage not recorded", metadata: ["user_id": "\(userID)", "error": "\(error)"])
            }
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
                switch await ticket.interrupted() {
                case nil: return nil
                case .shutdown?:
                    return .failure(AgentFailure(
                        code: AgentFailure.interruptedCode, message: "The server shut down before the assistant finished; send the message again.",
                        partial: progress.close()
                    ))
                case .stop?:
                    return .failure(AgentFailure(code: AgentFailure.stoppedCode, message: "Stopped.", partial: progress.close()))
                }
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
