import Foundation

/// One entry of the change log: something of a user's changed (a task, a conversation) or a reminder fell due.
/// `/api/events` streams these to the user's open pages from whichever replica they are connected to.
public struct ChangeEvent: Sendable, Equatable {
    public var id: Int64
    public var userID: String
    /// `task.created`, `task.updated`, `task.completed`, `task.deleted`, `conversation.created`,
    /// `conversation.updated`, `conversation.deleted` or `reminder`.
    public var kind: String
    /// The event's JSON data, as sent.
    public var data: String
    public var createdAt: Date

    public init(id: Int64, userID: String, kind: String, data: String, createdAt: Date) {
        self.id = id
        self.userID = userID
        self.kind = kind
        self.data = data
        self.createdAt = createdAt
    }
}

/// The change log's reader; the stores write it in the same transaction as each change.
public protocol EventStore: Sendable {
    /// Every user's events with an id above `after` or in `missing`, oldest first.
    func events(after: Int64, orIn missing: [Int64], limit: Int) async throws -> [ChangeEvent]
    /// One user's events with an id above `after`, oldest first, for a client that reconnects.
    func events(userID: String, after: Int64, limit: Int) async throws -> [ChangeEvent]
    /// The highest event id so far (0 when there is none).
    func latestEventID() async throws -> Int64
    /// Deletes events older than `date`.
    func pruneEvents(before date: Date) async throws
}
