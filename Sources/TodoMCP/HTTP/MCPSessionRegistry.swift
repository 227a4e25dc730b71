import Foundation
import Logging
import MCP
import ServiceLifecycle
import TodoCore

/// The open Streamable HTTP sessions, each bound to the user who initialized it. It caps sessions per user
/// (opening one more closes that user's least recently used one) and closes sessions left idle; as a service
/// it sweeps until shutdown and then closes them all.
public actor MCPSessionRegistry: Service {
    struct Session {
        let userID: String
        let server: Server
        let transport: SessionTransport
        var lastUsed: ContinuousClock.Instant
    }

    let tools: TodoToolServer
    let sessionsPerUser: Int
    let idleTimeout: Duration
    let logger: Logger
    private var sessions: [String: Session] = [:]

    public init(tools: TodoToolServer, sessionsPerUser: Int, idleTimeout: Duration, logger: Logger) {
        self.tools = tools
        self.sessionsPerUser = sessionsPerUser
        self.idleTimeout = idleTimeout
        self.logger = logger
    }

    /// The number of open sessions.
    public var count: Int { sessions.count }

    /// Starts a session for the user and returns its id and transport.
    func open(userID: String) async throws -> (id: String, transport: SessionTransport) {
        let owned = sessions.filter { $0.value.userID == userID }
        if owned.count >= sessionsPerUser, let oldest = owned.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            logger.info("mcp session closed: the user opened too many", metadata: ["session": "\(oldest.key)"])
            await close(oldest.key)
        }
        let id = UUID().uuidString.lowercased()
        var sessionLogger = logger
        sessionLogger[metadataKey: "mcp_session"] = "\(id)"
        let transport = SessionTransport(logger: sessionLogger)
        let server = await tools.makeServer(userID: userID)
        try await server.start(transport: transport)
        sessions[id] = Session(userID: userID, server: server, transport: transport, lastUsed: .now)
        logger.info("mcp session opened", metadata: ["mcp_session": "\(id)", "user_id": "\(userID)"])
        return (id, transport)
    }

    /// The user's session with this id. Another user's session is not found, exactly like an expired one.
    func session(_ id: String, userID: String) -> SessionTransport? {
        guard var session = sessions[id], session.userID == userID else { return nil }
        session.lastUsed = .now
        sessions[id] = session
        return session.transport
    }

    /// Ends a session; false when the user has no session with this id.
    func end(_ id: String, userID: String) async -> Bool {
        guard sessions[id]?.userID == userID else { return false }
        await close(id)
        logger.info("mcp session ended by the client", metadata: ["mcp_session": "\(id)"])
        return true
    }

    private func close(_ id: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.transport.close()
        await session.server.stop()
    }

    /// Closes every session unused for longer than the idle timeout.
    public func sweep(now: ContinuousClock.Instant = .now) async {
        for (id, session) in sessions where now - session.lastUsed > idleTimeout {
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
