import Foundation
import Logging
import ServiceLifecycle
import TodoCore

/// The Streamable HTTP sessions, each bound to the user who initialized it. The sessions themselves live in the
/// database (`MCPSessionStore`), so any replica continues any session and the per-user cap (opening one more ends
/// that user's least recently used one) and idle expiry hold across the fleet. Each replica keeps only its part of
/// a session: the requests it is running (so a cancellation that reaches the same replica stops them) and an event
/// stream opened there. As a service it sweeps until shutdown, then lets go of its part; the sessions stay open
/// for the other replicas and for this one after a restart.
public actor MCPSessionRegistry: Service {
    let tools: TodoToolServer
    let store: any MCPSessionStore
    let sessionsPerUser: Int
    let idleTimeout: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    private var local: [String: MCPSession] = [:]

    public init(
        tools: TodoToolServer, store: any MCPSessionStore, sessionsPerUser: Int, idleTimeout: Duration,
        now: @escaping @Sendable () -> Date = Date.init, logger: Logger
    ) {
        self.tools = tools
        self.store = store
        self.sessionsPerUser = sessionsPerUser
        self.idleTimeout = idleTimeout
        self.now = now
        self.logger = logger
    }

    /// The sessions this replica holds a part of.
    public var count: Int { local.count }

    private var idleSince: Date { now().addingTimeInterval(-Double(idleTimeout.totalMilliseconds) / 1000) }

    /// Starts a session for the user and returns its id.
    func open(userID: String) async throws -> (id: String, session: MCPSession) {
        let id = RandomID.make()
        for ended in try await store.openMCPSession(id: id, userID: userID, limit: sessionsPerUser, now: now()) {
            logger.info("mcp session closed: the user opened too many", metadata: ["mcp_session": "\(ended)"])
            await closeLocal(ended)
        }
        let session = MCPSession(userID: userID)
        local[id] = session
        logger.info("mcp session opened", metadata: ["mcp_session": "\(id)", "user_id": "\(userID)"])
        return (id, session)
    }

    /// The user's open session with this id, marked used. Another user's session is not found, exactly like an
    /// expired one, and does not disturb its owner's.
    func session(_ id: String, userID: String) async throws -> MCPSession? {
        guard try await store.touchMCPSession(id: id, userID: userID, idleSince: idleSince, now: now()) else {
            if local[id]?.userID == userID { await closeLocal(id) }
            return nil
        }
        if let session = local[id] { return session }
        // Opened on another replica (or before a restart): this replica's part starts now.
        let session = MCPSession(userID: userID)
        local[id] = session
        return session
    }

    /// Ends a session; false when the user has no open session with this id.
    func end(_ id: String, userID: String) async throws -> Bool {
        let ended = try await store.endMCPSession(id: id, userID: userID)
        if local[id]?.userID == userID { await closeLocal(id) }
        if ended { logger.info("mcp session ended by the client", metadata: ["mcp_session": "\(id)"]) }
        return ended
    }

    private func closeLocal(_ id: String) async {
        guard let session = local.removeValue(forKey: id) else { return }
        await session.close()
    }

    /// Ends the sessions idle for longer than the idle timeout, and lets go of this replica's part of sessions
    /// that ended elsewhere (ended by the client on another replica, or closed by the cap there).
    public func sweep() async throws {
        for id in try await store.expireMCPSessions(idleSince: idleSince) {
            logger.info("mcp session expired", metadata: ["mcp_session": "\(id)"])
            await closeLocal(id)
        }
        let held = Array(local.keys)
        guard !held.isEmpty else { return }
        let open = try await store.openMCPSessions(among: held)
        for id in held where !open.contains(id) { await closeLocal(id) }
    }

    /// Lets go of this replica's part of every session: running requests stop, event streams end.
    public func closeAll() async {
        for id in Array(local.keys) { await closeLocal(id) }
    }

    public func run() async throws {
        let interval = min(idleTimeout / 4, .seconds(60))
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: interval)
                do {
                    try await self.sweep()
                } catch {
                    self.logger.warning("mcp session sweep failed; the next one retries", metadata: ["reason": "\(error)"])
                }
            }
        }
        await closeAll()
    }
}
