import Foundation
import TodoCore

/// One Streamable HTTP session of one user: the requests it is running (so a client can cancel one) and its
/// stream for server-initiated messages. Nothing of a request is kept once it is answered.
actor MCPSession {
    let userID: String
    private var running: [String: Task<JSONValue?, Never>] = [:]
    private var events: AsyncThrowingStream<Data, any Error>.Continuation?
    private(set) var isClosed = false

    /// The session's answer to one posted message.
    enum Outcome {
        case accepted
        case answer(Data)
        /// The id is already running in this session.
        case duplicateID
        /// The session ended, or the client cancelled the request, before an answer.
        case closed
    }

    init(userID: String) {
        self.userID = userID
    }

    func post(_ message: JSONRPCMessage, server: TodoToolServer) async -> Outcome {
        guard !isClosed else { return .closed }
        guard case .request(let id, _) = message.kind else {
            if message.method == "notifications/cancelled", let requestID = message.params?["requestId"] {
                running[requestID.text]?.cancel()
            }
            return .accepted
        }
        let key = id.text
        guard running[key] == nil else { return .duplicateID }
        let userID = userID
        let task = Task { await server.answer(message, userID: userID) }
        running[key] = task
        let answer = await task.value
        running[key] = nil
        guard let answer, !task.isCancelled else { return .closed }
        return .answer(Data(answer.text.utf8))
    }

    /// Opens the stream of server-initiated messages; nil when one is already open. This server starts none, so
    /// the stream stays quiet until the session ends.
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

    /// Ends the session: running requests are cancelled and the event stream closes.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        for task in running.values { task.cancel() }
        running.removeAll()
        events?.finish()
        events = nil
    }
}
