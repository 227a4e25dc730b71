import Foundation
import Logging
import ServiceLifecycle
import TodoCore

/// The open Streamable HTTP sessions, each bound to the user who initialized it. It caps sessions per user
/// (opening one more closes that user's least recently used one) and closes sessions left idle; as a service
/// it sweeps until shutdown and then closes them all.
public actor MCPSessionRegistry: Service {
    struct Entry {
        let session: MCPSession
        var lastUsed: ContinuousClock.Instant
    }

    let tools: TodoToolServer
    let sessionsPerUser: Int
    let idleTimeout: Duration
    let logger: Logger
    private var sessions: [String: Entry] = [:]

    public init(tools: TodoToolServer, sessionsPerUser: Int, idleTimeout: Duration, logger: Logger) {
        self.tools = tools
        self.sessionsPerUser = sessionsPerUser
        self.idleTimeout = idleTimeout
        self.logger = logger
    }

    /// The number of open sessions.
    public var count: Int { sessions.count }

    /// Starts a session for the user and returns its id.
    func open(userID: String) async -> (id: String, session: MCPSession) {
        let owned = sessions.filter { $0.value.session.userID == userID }
        if owned.count >= sessionsPerUser, let oldest = owned.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            logger.info("mcp session closed: the user opened too many", metadata: ["session": "\(oldest.key)"])
            await close(oldest.key)
        }
        let id = UUID().uuidString.lowercased()
        let session = MCPSession(userID: userID)
        sessions[id] = Entry(session: session, lastUsed: .now)
        logger.info("mcp session opened", metadata: ["mcp_session": "\(id)", "user_id": "\(userID)"])
        return (id, session)
    }

    /// The user's session with this id. Another user's session is not found, exactly like an expired one.
    func session(_ id: String, userID: String) -> MCPSession? {
        guard var entry = sessions[id], entry.session.userID == userID else { return nil }
        entry.lastUsed = .now
        sessions[id] = entry
        return entry.session
    }

    /// Ends a session; false when the user has no session with this id.
    func end(_ id: String, userID: String) async -> Bool {
        guard sessions[id]?.session.userID == userID else { return false }
        await close(id)
        logger.info("mcp session ended by the client", metadata: ["mcp_session": "\(id)"])
        return true
    }

    private func close(_ id: String) async {
        guard let entry = sessions.removeValue(forKey: id) else { return }
        await entry.session.close()
    }

    /// Closes every session unused for longer than the idle timeout.
    public func sweep(now: ContinuousClock.Instant = .now) async {
        for (id, entry) in sessions where now - entry.lastUsed > idleTimeout {
            logger.info("mcp session expired", metadata: ["mcp_session": "\(id)"])
            await close(id)
        }
    }

    public func closeAll() async {
        for id in Array(sessions.keys) { await close(id) }
    }

    public func run() async throws {
        let interval = min(idleTimeout / 4, .seconds(60))
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: interval)
                await self.sweep()
            }
        }
        await closeAll()
    }
}
