import Foundation
import TodoCore

/// What the Streamable HTTP endpoint reads of a request, independent of the web framework.
public struct MCPHTTPRequest: Sendable {
    public var method: String
    public var accept: String?
    public var contentType: String?
    public var sessionID: String?
    public var protocolVersion: String?
    public var body: Data

    public init(
        method: String, accept: String? = nil, contentType: String? = nil, sessionID: String? = nil,
        protocolVersion: String? = nil, body: Data = Data()
    ) {
        self.method = method
        self.accept = accept
        self.contentType = contentType
        self.sessionID = sessionID
        self.protocolVersion = protocolVersion
        self.body = body
    }
}

/// The endpoint's answer: a status, headers, and a body that is empty, one JSON document, or an SSE stream.
public struct MCPHTTPReply: Sendable {
    public enum Body: Sendable {
        case empty
        case json(Data)
        case events(EventStream)
    }

    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Body

    init(status: Int, headers: [(name: String, value: String)] = [], body: Body = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The answer to a request from an untrusted browser origin.
    public static var forbiddenOrigin: MCPHTTPReply {
        .error(403, .invalidRequest, "Forbidden: the request's Origin is not trusted. List it in TRUSTED_ORIGINS.")
    }

    /// A JSON-RPC error at an HTTP status.
    static func error(
        _ status: Int, _ code: JSONRPCCode, _ message: String, id: JSONValue = .null, session: String? = nil
    ) -> MCPHTTPReply {
        var reply = MCPHTTPReply(status: status, body: .json(JSONRPCMessage.errorBody(code, message, id: id)))
        if let session { reply.headers.append((MCPHeader.sessionID, session)) }
        return reply
    }
}

/// The header names of the Streamable HTTP transport.
public enum MCPHeader {
    public static let sessionID = "MCP-Session-Id"
    public static let protocolVersion = "MCP-Protocol-Version"
}

/// An SSE stream of a session, which its reader can also end (at shutdown, say).
public struct EventStream: Sendable {
    public let events: AsyncThrowingStream<Data, any Error>
    let continuation: AsyncThrowingStream<Data, any Error>.Continuation

    static func make() -> EventStream {
        let (events, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        return EventStream(events: events, continuation: continuation)
    }

    /// Ends the stream after the events already sent.
    public func stop() { continuation.finish() }
}
