import Synchronization

/// Group commit: writes that arrive while every lane is busy wait, and go together as one batch when a lane frees,
/// so under load one statement and one commit carry many rows. A write that finds a lane free runs at once, alone:
/// nothing ever waits for company. A batch runs in the task of the write that leads it (the longest waiting), so
/// no work runs outside the requests that asked for it. A write that waited longer than `patience` for a lane (the
/// database stalls) fails when one frees instead of being sent late, so no caller waits much past two deadlines.
public final class WriteBatcher<Input: Sendable, Output: Sendable>: Sendable {
    private struct Waiter: Sendable {
        let input: Input
        let continuation: CheckedContinuation<Turn, Never>
        let since: ContinuousClock.Instant
    }

    private enum Turn: Sendable {
        /// Run the batch: this write first, then these.
        case lead(followers: [Waiter])
        case done(Result<Output, any Error>)
    }

    private struct State {
        var running = 0
        /// Never empty while a lane is free: a lane that frees takes what waits.
        var queue: [Waiter] = []
    }

    private let state = Mutex(State())
    /// How many batches may run at once.
    public let lanes: Int
    /// The most writes one batch carries.
    public let largest: Int
    /// How long a write may wait for a lane, and what to call the database in the error past it.
    private let patience: Duration
    private let what: String
    private let now: @Sendable () -> ContinuousClock.Instant

    public init(
        lanes: Int, largest: Int, patience: Duration, what: String,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        precondition(lanes > 0 && largest > 0)
        self.lanes = lanes
        self.largest = largest
        self.patience = patience
        self.what = what
        self.now = now
    }

    /// How many writes wait for a lane.
    public var waitingCount: Int { state.withLock { $0.queue.count } }

    /// `input`'s outcome, once a batch holding it ran. `run` writes a batch and answers one result per input, in
    /// order; it is the same for every call of one batcher.
    public func submit(_ input: Input, _ run: ([Input]) async -> [Result<Output, any Error>]) async throws -> Output {
        let turn = await withCheckedContinuation { (continuation: CheckedContinuation<Turn, Never>) in
            let leads = state.withLock { state in
                guard state.running < lanes else {
                    state.queue.append(Waiter(input: input, continuation: continuation, since: now()))
                    return false
                }
                state.running += 1
                return true
            }
            if leads { continuation.resume(returning: .lead(followers: [])) }
        }
        switch turn {
        case .done(let result):
            return try result.get()
        case .lead(let followers):
            let results = await run([input] + followers.map(\.input))
            precondition(results.count == followers.count + 1, "a batch must answer every write it was given")
            handOffLane()
            for (follower, result) in zip(followers, results.dropFirst()) {
                follower.continuation.resume(returning: .done(result))
            }
            return try results[0].get()
        }
    }

    /// Starts the next batch on the lane just freed, or frees it; writes that waited too long fail instead.
    private func handOffLane() {
        let (stale, next) = state.withLock { state -> ([Waiter], [Waiter]) in
            let instant = now()
            let staleCount = state.queue.prefix(while: { instant - $0.since > patience }).count
            let count = min(largest, state.queue.count - staleCount)
            defer { state.queue.removeFirst(staleCount + count) }
            if count == 0 { state.running -= 1 }
            return (Array(state.queue[..<staleCount]), Array(state.queue[staleCount..<(staleCount + count)]))
        }
        for waiter in stale {
            waiter.continuation.resume(returning: .done(.failure(TodoError.deadlineExceeded(what, patience))))
        }
        guard let leader = next.first else { return }
        leader.continuation.resume(returning: .lead(followers: Array(next.dropFirst())))
    }
}
