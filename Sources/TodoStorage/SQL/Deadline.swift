import TodoCore

/// Runs `operation`, failing with `TodoError.unavailable` if it takes longer than `timeout`.
///
/// PostgresNIO's pool waits forever for an unreachable server, so every database call goes through this.
func withDeadline<T: Sendable>(
    _ timeout: Duration, _ what: String, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TodoError.unavailable("\(what) did not answer within \(timeout.formattedSeconds)")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

extension Duration {
    /// `5s`, `0.5s`: a compact form for messages.
    public var formattedSeconds: String {
        let (seconds, attoseconds) = components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }
}
