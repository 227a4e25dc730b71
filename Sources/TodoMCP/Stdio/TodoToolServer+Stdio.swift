import Foundation
import Logging
import TodoCore

extension TodoToolServer {
    /// Serves one client over standard input and output, one JSON-RPC message per line, until the input ends and
    /// every request read has been answered. Requests run concurrently; answers go to stdout alone, logs to stderr.
    public func serveStdio(userID: String, logger: Logger) async {
        let output = LineWriter()
        await withTaskGroup(of: Void.self) { group in
            for await line in StandardInputLines.stream() {
                let body = Data(line.utf8)
                guard !line.allSatisfy(\.isWhitespace) else { continue }
                let message: JSONRPCMessage
                do {
                    message = try JSONRPCMessage.parse(body)
                } catch let rejection as JSONRPCMessage.Rejection {
                    logger.warning("bad message on stdin", metadata: ["reason": "\(rejection.message)"])
                    output.write(JSONRPCMessage.errorBody(rejection.code, rejection.message, id: rejection.id))
                    continue
                } catch {
                    continue
                }
                group.addTask {
                    if let answer = await self.answer(message, userID: userID) { output.write(Data(answer.text.utf8)) }
                }
            }
        }
        logger.info("mcp stdio input ended")
    }
}

/// Lines of standard input, read by a thread of their own so that no task blocks on the read.
enum StandardInputLines {
    static func stream() -> AsyncStream<String> {
        AsyncStream { continuation in
            let reader = Thread {
                while let line = readLine(strippingNewline: true) { continuation.yield(line) }
                continuation.finish()
            }
            reader.name = "mcp-stdin"
            reader.start()
        }
    }
}

/// Writes whole lines to standard output, one writer at a time.
final class LineWriter: @unchecked Sendable {
    private let lock = NSLock()

    func write(_ data: Data) {
        var line = data
        line.append(0x0A)
        lock.withLock { FileHandle.standardOutput.write(line) }
    }
}
