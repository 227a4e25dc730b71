import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// Tells nginx-style proxies not to hold a stream back.
    static let accelBuffering = HTTPField.Name("X-Accel-Buffering")!

    /// A server-sent event stream: `opening` first, then each frame as it comes, until `frames` ends; `ended` runs
    /// when the writing stops for any reason (the client left, the stream finished).
    static func eventStream(opening: String = "", _ frames: AsyncStream<String>, ended: @escaping @Sendable () -> Void = {}) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache, no-transform", accelBuffering: "no"],
            body: ResponseBody { writer in
                defer { ended() }
                if !opening.isEmpty { try await writer.write(ByteBuffer(string: opening)) }
                for await frame in frames { try await writer.write(ByteBuffer(string: frame)) }
                try await writer.finish(nil)
            }
        )
    }
}
