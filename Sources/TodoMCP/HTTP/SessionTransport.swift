import Foundation
import Logging
import MCP
import TodoCore

/// The transport of one Streamable HTTP session: it hands each posted message to the session's `Server` and
/// routes the server's answer back to the HTTP exchange that asked, as JSON or as an SSE stream.
///
/// The SDK's `StatefulHTTPServerTransport` keeps every event of a session for replay and always answers with
/// SSE; this one keeps nothing once delivered, so a long session's memory stays flat, and serves JSON-only clients.
actor SessionTransport: Transport {
    nonisolated let logger: Logger
    private let incoming: AsyncThrowingStream<Data, any Error>
    private let feed: AsyncThrowingStream<Data, any Error>.Continuation
    /// The exchanges waiting for the response to a request, by the request id's JSON text.
    private var waiting: [String: Delivery] = [:]
    /// The standalone `GET` stream for messages the server starts, if the client opened one.
    private var events: AsyncThrowingStream<Data, any Error>.Continuation?
    private(set) var isClosed = false

    /// Where a response goes: a suspended JSON exchange, or an open SSE stream.
    enum Delivery {
        case json(CheckedContinuation<Data?, Never>)
        case events(AsyncThrowingStream<Data, any Error>.Continuation)
    }

    /// The transport's answer to one posted message.
    enum Outcome {
        case accepted
        case json(Data)
        case events(EventStream)
        /// The id is already waiting for its answer in this session.
        case duplicateID
        /// The session ended (or the client cancelled the request) before an answer came.
        case closed
    }

    init(logger: Logger) {
        self.logger = logger
        (incoming, feed) = AsyncThrowingStream.makeStream()
    }

    // MARK: Transport

    func connect() async throws {}

    func disconnect() async { close() }

    func receive() -> AsyncThrowingStream<Data, any Error> { incoming }

    func send(_ data: Data) async throws {
        guard !isClosed else { throw MCPError.connectionClosed }
        if let key = MessageEnvelope.of(data)?.responseKey, let delivery = waiting.removeValue(forKey: key) {
            switch delivery {
            case .json(let continuation): continuation.resume(returning: data)
            case .events(let continuation):
                continuation.yield(SSEEvent.message(data))
                continuation.finish()
            }
            return
        }
        // Notifications and requests of the server go to the GET stream; without one the client did not ask for them.
        events?.yield(SSEEvent.message(data))
    }

    // MARK: HTTP exchanges

    /// Hands a client's message to the server. A request waits for its response (JSON), or gets a stream that
    /// carries it (SSE); notifications and responses are accepted at once.
    func post(_ body: Data, message: JSONRPCMessage, streaming: Bool) async -> Outcome {
        guard !isClosed else { return .closed }
        guard case .request(let id, _) = message.kind else {
            if message.method == "notifications/cancelled", let requestID = message.params?["requestId"] {
                // The server sends nothing for a cancelled request; release whoever waits for it.
                release(requestID.text)
            }
            feed.yield(body)
            return .accepted
        }
        let key = id.text
        guard waiting[key] == nil else { return .duplicateID }
        if streaming {
            let stream = EventStream.make()
            waiting[key] = .events(stream.continuation)
            feed.yield(body)
            return .events(stream)
        }
        let response = await withCheckedContinuation { continuation in
            waiting[key] = .json(continuation)
            feed.yield(body)
        }
        return response.map(Outcome.json) ?? .closed
    }

    /// Opens the stream of server-initiated messages; nil when one is already open.
    func openEvents() -> EventStream? {
        guard !isClosed, events == nil else { return nil }
        let stream = EventStream.make()
        stream.continuation.onTermination = { [weak self] _ in
            Task { await self?.eventsEnded() }
        }
        events = stream.continuation
        return stream
    }

    private func eventsEnded() { events = nil }

    private func release(_ key: String) {
        switch waiting.removeValue(forKey: key) {
        case .json(let continuation)?: continuation.resume(returning: nil)
        case .events(let continuation)?: continuation.finish()
        case nil: break
        }
    }

    /// Ends the session: every waiting exchange and stream is released, and the server's message loop stops.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        for key in Array(waiting.keys) { release(key) }
        events?.finish()
        events = nil
        feed.finish()
    }
}

/// Server-sent events as the Streamable HTTP transport frames them.
enum SSEEvent {
    static func message(_ data: Data) -> Data {
        var event = Data("event: message\ndata: ".utf8)
        event.reserveCapacity(event.count + data.count + 2)
        event.append(data)
        event.append(contentsOf: [0x0A, 0x0A])
        return event
    }
}
