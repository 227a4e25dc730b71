import Foundation
import Logging
import MCP
import TodoCore

/// Standard input and output, ending only after every request read has been answered: a client that writes
/// its requests and closes its input (`… | todo-chatbot mcp`) still gets every answer.
actor DrainingStdioTransport: Transport {
    nonisolated let logger: Logger
    private let stdio: StdioTransport
    private let incoming: AsyncThrowingStream<Data, any Error>
    private let feed: AsyncThrowingStream<Data, any Error>.Continuation
    /// Ids (as JSON text) of requests read and not yet answered.
    private var unanswered: Set<String> = []
    private var inputEnded = false

    init(logger: Logger) {
        self.logger = logger
        stdio = StdioTransport(logger: logger)
        (incoming, feed) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {
        try await stdio.connect()
        let lines = await stdio.receive()
        // The SDK's transports read in an unstructured task as well; this one relays and ends with the input.
        Task {
            do {
                for try await line in lines { self.forward(line) }
            } catch {
                self.logger.error("reading standard input failed", metadata: ["error": "\(error)"])
            }
            self.endInput()
        }
    }

    private func forward(_ line: Data) {
        if let key = MessageEnvelope.of(line)?.requestKey { unanswered.insert(key) }
        feed.yield(line)
    }

    private func endInput() {
        inputEnded = true
        finishIfDrained()
    }

    private func finishIfDrained() {
        if inputEnded, unanswered.isEmpty { feed.finish() }
    }

    func disconnect() async {
        feed.finish()
        await stdio.disconnect()
    }

    func send(_ data: Data) async throws {
        try await stdio.send(data)
        if let key = MessageEnvelope.of(data)?.responseKey {
            unanswered.remove(key)
            finishIfDrained()
        }
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { incoming }
}
