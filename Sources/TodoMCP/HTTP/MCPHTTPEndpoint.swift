import Foundation
import TodoCore

/// The Streamable HTTP endpoint (`/mcp`) for an authenticated user: `POST` carries JSON-RPC messages, `GET`
/// opens the stream of server-initiated messages, `DELETE` ends the session.
public struct MCPHTTPEndpoint: Sendable {
    public let registry: MCPSessionRegistry

    public init(registry: MCPSessionRegistry) {
        self.registry = registry
    }

    public func handle(_ request: MCPHTTPRequest, userID: String) async -> MCPHTTPReply {
        do {
            return try await route(request, userID: userID)
        } catch {
            // The sessions are in the database: without it no replica can tell whether a session is open.
            var reply = MCPHTTPReply.error(503, .internalError, "The session store is unavailable; try again shortly.")
            reply.headers.append(("Retry-After", "1"))
            return reply
        }
    }

    private func route(_ request: MCPHTTPRequest, userID: String) async throws -> MCPHTTPReply {
        if let version = request.protocolVersion, !TodoToolServer.supportedVersions.contains(version) {
            let supported = TodoToolServer.supportedVersions.sorted().joined(separator: ", ")
            return .error(400, .invalidRequest, "Unsupported MCP-Protocol-Version \(version); supported: \(supported).")
        }
        switch request.method {
        case "POST": return try await post(request, userID: userID)
        case "GET": return try await openEvents(request, userID: userID)
        case "DELETE": return try await end(request, userID: userID)
        default:
            var reply = MCPHTTPReply.error(405, .invalidRequest, "Method not allowed: use POST, GET or DELETE.")
            reply.headers.append(("Allow", "GET, POST, DELETE"))
            return reply
        }
    }

    private func post(_ request: MCPHTTPRequest, userID: String) async throws -> MCPHTTPReply {
        let media = request.contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard media == "application/json" else {
            return .error(415, .invalidRequest, "Content-Type must be application/json.")
        }
        guard let streaming = Self.responseMode(accept: request.accept) else {
            return .error(406, .invalidRequest, "Accept must allow application/json or text/event-stream.")
        }
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.parse(request.body)
        } catch {
            // A request we can answer by id gets its error as any answer; without an id it is a bad HTTP request.
            return .error(error.id == .null ? 400 : 200, error.code, error.message, id: error.id)
        }
        let session: MCPSession
        let sessionID: String
        if let requested = request.sessionID {
            guard let found = try await registry.session(requested, userID: userID) else {
                return .error(404, .invalidRequest, "Session not found or expired; send initialize to start a new one.")
            }
            if message.isInitialize {
                return .error(400, .invalidRequest, "This session is already initialized.", id: Self.id(of: message), session: requested)
            }
            (session, sessionID) = (found, requested)
        } else if message.isInitialize {
            (sessionID, session) = try await registry.open(userID: userID)
        } else if case .request(let id, let method) = message.kind, !JSONRPCMessage.methods.contains(method) {
            // Clients of newer protocol versions probe methods such as server/discover before a session exists;
            // -32601 tells them to fall back to initialize.
            return .error(200, .methodNotFound, "Method not found: \(method)", id: id)
        } else {
            return .error(400, .invalidRequest, "Missing MCP-Session-Id header: send initialize first.", id: Self.id(of: message))
        }
        let headers = [(name: MCPHeader.sessionID, value: sessionID)]
        switch await session.post(message, server: registry.tools) {
        case .accepted:
            return MCPHTTPReply(status: 202, headers: headers)
        case .answer(let data) where streaming:
            let stream = EventStream.make()
            stream.continuation.yield(Data(SSEFrame.event("message", data: String(decoding: data, as: UTF8.self)).utf8))
            stream.stop()
            return MCPHTTPReply(status: 200, headers: headers + Self.eventHeaders, body: .events(stream))
        case .answer(let data):
            return MCPHTTPReply(status: 200, headers: headers + [("Content-Type", "application/json")], body: .json(data))
        case .duplicateID:
            return .error(400, .invalidRequest, "A request with this id is still running in this session.", id: Self.id(of: message), session: sessionID)
        case .closed:
            return .error(404, .invalidRequest, "The session ended before the answer; start a new one.", id: Self.id(of: message))
        }
    }

    private func openEvents(_ request: MCPHTTPRequest, userID: String) async throws -> MCPHTTPReply {
        guard Self.accepts(request.accept, "text/event-stream") else {
            return .error(406, .invalidRequest, "Accept must allow text/event-stream.")
        }
        guard let requested = request.sessionID else {
            return .error(400, .invalidRequest, "Missing MCP-Session-Id header: send initialize first.")
        }
        guard let session = try await registry.session(requested, userID: userID) else {
            return .error(404, .invalidRequest, "Session not found or expired; send initialize to start a new one.")
        }
        guard let stream = await session.openEvents() else {
            return .error(409, .invalidRequest, "This session already has an open event stream.", session: requested)
        }
        return MCPHTTPReply(status: 200, headers: [(MCPHeader.sessionID, requested)] + Self.eventHeaders, body: .events(stream))
    }

    private func end(_ request: MCPHTTPRequest, userID: String) async throws -> MCPHTTPReply {
        guard let requested = request.sessionID else {
            return .error(400, .invalidRequest, "Missing MCP-Session-Id header.")
        }
        guard try await registry.end(requested, userID: userID) else {
            return .error(404, .invalidRequest, "Session not found or expired.")
        }
        return MCPHTTPReply(status: 204)
    }

    static let eventHeaders: [(name: String, value: String)] = [
        ("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache, no-transform"),
    ]

    static func id(of message: JSONRPCMessage) -> JSONValue {
        switch message.kind {
        case .request(let id, _), .response(let id): id
        case .notification: .null
        }
    }

    /// SSE when the client names it (answers and any progress then share one stream), JSON otherwise;
    /// nil when it accepts neither. A missing Accept header, or `*/*`, gets JSON.
    static func responseMode(accept: String?) -> Bool? {
        guard let accept, !accept.isEmpty else { return false }
        if mediaTypes(accept).contains("text/event-stream") { return true }
        if accepts(accept, "application/json") { return false }
        return nil
    }

    /// Whether the Accept header allows the type, by name or by wildcard.
    static func accepts(_ accept: String?, _ type: String) -> Bool {
        guard let accept else { return false }
        let family = String(type.prefix { $0 != "/" }) + "/*"
        return mediaTypes(accept).contains { $0 == type || $0 == family || $0 == "*/*" }
    }

    static func mediaTypes(_ accept: String) -> [String] {
        accept.split(separator: ",").map { entry in
            entry.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        }
    }
}
