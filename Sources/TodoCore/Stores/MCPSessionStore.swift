import Foundation

/// MCP sessions kept in the database, so whichever replica a request reaches can continue the client's session,
/// and the per-user cap and the idle expiry hold across every replica.
public protocol MCPSessionStore: Sendable {
    /// Records a new session of the user, then ends the user's least recently used sessions beyond `limit` (never
    /// the new one); returns the ids it ended.
    func openMCPSession(id: String, userID: String, limit: Int, now: Date) async throws -> [String]
    /// Marks the user's session used at `now` and tells whether it is open: false for an unknown id, another
    /// user's session and a session unused since `idleSince`.
    func touchMCPSession(id: String, userID: String, idleSince: Date, now: Date) async throws -> Bool
    /// Ends the user's session; false when the user has no such open session.
    func endMCPSession(id: String, userID: String) async throws -> Bool
    /// Ends every session unused since `idleSince` and returns their ids.
    func expireMCPSessions(idleSince: Date) async throws -> [String]
    /// Those of `ids` that are still open.
    func openMCPSessions(among ids: [String]) async throws -> Set<String>
}
