import Hummingbird

extension ResponseBody {
    /// A body that calls `done` once it has been written (or failed), for logs and metrics of streamed responses.
    func whenWritten(_ done: @escaping @Sendable () -> Void) -> ResponseBody {
        let body = self
        return ResponseBody(contentLength: body.contentLength) { writer in
            defer { done() }
            try await body.write(writer)
        }
    }
}
