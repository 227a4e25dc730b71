import Synchronization

/// Runs `operation`, failing with `TodoError.unavailable` once `timeout` has passed.
///
/// PostgresNIO's pool waits forever for an unreachable server, and a connection attempt to a server that
/// accepts TCP but never answers ignores cancellation. A task group would wait for such a child before
/// returning, so the race is run with unstructured tasks: the caller gets its answer on time, and the
/// abandoned operation is cancelled and left to finish on its own.
///
/// With a `checkpoint`, the timer looks at the operation once after `checkpoint.after`: when the check returns an
/// error (for example "the database refuses connections"), the caller gets it at once instead of waiting for the
/// whole deadline. Only slow operations pay for the check.
public func withDeadline<T: Sendable>(
    _ timeout: Duration, _ what: String, checkpoint: DeadlineCheckpoint? = nil,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = DeadlineRace<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.start(
                continuation,
                work: Task {
                    do { race.finish(.success(try await operation())) } catch { race.finish(.failure(error)) }
                },
                timer: Task {
                    var remaining = timeout
                    var look: Task<Void, Never>?
                    defer { look?.cancel() }
                    if let checkpoint, checkpoint.after < timeout {
                        guard (try? await Task.sleep(for: checkpoint.after)) != nil else { return }
                        // The look runs beside the rest of the wait: it may end the wait early, never lengthen it.
                        look = Task {
                            if let error = await checkpoint.check() { race.finish(.failure(error)) }
                        }
                        remaining = timeout - checkpoint.after
                    }
                    guard (try? await Task.sleep(for: remaining)) != nil else { return }
                    race.finish(.failure(TodoError.deadlineExceeded(what, timeout)))
                }
            )
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// A look at a slow operation before its deadline: `check` runs once, `after` into the wait, beside it (a slow look
/// never lengthens the wait), and an error it returns ends the wait with that error.
public struct DeadlineCheckpoint: Sendable {
    public var after: Duration
    public var check: @Sendable () async -> (any Error)?

    public init(after: Duration, check: @escaping @Sendable () async -> (any Error)?) {
        self.after = after
        self.check = check
    }
}

/// The shared state of one deadline race: whichever side finishes first resumes the caller, once.
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var pending: Result<T, any Error>?
        var tasks: [Task<Void, Never>] = []
        var done = false
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, any Error>, work: Task<Void, Never>, timer: Task<Void, Never>) {
        let early = state.withLock { state -> Result<T, any Error>? in
            state.tasks = [work, timer]
            if let pending = state.pending {
                state.pending = nil
                return pending
            }
            state.continuation = continuation
            return nil
        }
        if let early {
            work.cancel()
            timer.cancel()
            continuation.resume(with: early)
        }
    }

    func finish(_ result: Result<T, any Error>) {
        let (continuation, tasks) = state.withLock { state -> (CheckedContinuation<T, any Error>?, [Task<Void, Never>]) in
            guard !state.done else { return (nil, []) }
            state.done = true
            guard let continuation = state.continuation else {
                // Finished before `start` stored the continuation (e.g. cancelled at once).
                state.pending = result
                return (nil, [])
            }
            state.continuation = nil
            return (continuation, state.tasks)
        }
        tasks.forEach { $0.cancel() }
        continuation?.resume(with: result)
    }
}

extension Duration {
    /// The whole milliseconds of the duration.
    public var totalMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// The duration in seconds, for `Date` arithmetic.
    public var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// `5s`, `0.5s`: a compact form for messages.
    public var formattedSeconds: String {
        let value = timeInterval
        return value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }
}

extension TodoError {
    /// What `withDeadline` throws when `what` took longer than `timeout`; callers that treat a deadline apart from
    /// other outages compare with it.
    public static func deadlineExceeded(_ what: String, _ timeout: Duration) -> TodoError {
        .unavailable("\(what) did not answer within \(timeout.formattedSeconds)")
    }
}
