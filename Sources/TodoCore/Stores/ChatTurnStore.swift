import Foundation

/// How a chat turn ended, or that it still runs.
public enum TurnStatus: String, Sendable, Codable, Equatable {
    case running, completed, stopped, interrupted, failed
}

/// A running turn a stop was asked for.
public struct StopRequest: Sendable, Equatable {
    public var turnID: String
    /// True when the turn's replica had stopped answering, so the turn was marked interrupted at once.
    public var wasAbandoned: Bool

    public init(turnID: String, wasAbandoned: Bool) {
        self.turnID = turnID
        self.wasAbandoned = wasAbandoned
    }
}

/// The shared record of running chat turns: one per conversation at a time, stoppable from any replica.
/// A turn whose replica has not beaten its heartbeat since `staleBefore` is treated as abandoned.
public protocol ChatTurnStore: Sendable {
    /// In one transaction: checks no other turn runs in the conversation (`conflict` TURN_RUNNING), removes the
    /// messages of `replacing` when it is the conversation's last turn (else `conflict` TURN_NOT_LAST), records the
    /// running turn and stores the user's message.
    func startTurn(
        id: String, conversationID: Int64, userID: String, message: String, replacing: String?, staleBefore: Date
    ) async throws -> Message
    /// Stores the answer (when there is one) with the turn's final status, in one transaction.
    func finishTurn(id: String, conversationID: Int64, userID: String, answer: NewMessage?, status: TurnStatus) async throws
    /// Asks the conversation's running turn (or `turnID`, when given) to stop; `conflict` NO_RUNNING_TURN if none runs.
    func requestStop(conversationID: Int64, userID: String, turnID: String?, staleBefore: Date) async throws -> StopRequest
    /// Which of `ids` were asked to stop.
    func stopRequested(among ids: [String]) async throws -> [String]
    /// Marks `ids` as still running on this replica.
    func heartbeat(_ ids: [String]) async throws
}

/// The store a chat service needs.
public typealias ChatStore = ConversationStore & ChatTurnStore & TokenUsageStore
