import Synchronization

/// Group commit: writes that arrive while every lane is busy wait, and go together as one batch when a lane frees,
/// so under load one statement and one commit carry many rows. A write that finds a lane free runs at once, alone:
/// nothing ever waits for company. The write that waited longest leads its batch; the batch runs in a task of its
/// own, so cancelling the leader (a stopped chat turn) cannot fail the others' writes halfway. A write cancelled
/// while it waits leaves the queue unsent. A write that waited longer than `patience` when a lane frees (the
/// database stalls) fails with `expired`, unsent, instead of being sent late.
public final class WriteBatcher<Input: Sendable, Output: Sendable>: Sendable {
    /// Writes a batch; answers one result per input, in order.
    public typealias Run = @Sendable ([Input]) async -> [Result<Output, any Error>]

    private struct Waiter: Sendable {
        let id: UInt64
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
        /// Empty while a lane is free: a lane that frees takes what waits.
        var queue: [Waiter] = []
    }

    private let state = Mutex(State())
    private let ids = Atomic<UInt64>(0)
    /// How many batches may run at once.
    public let lanes: Int
    /// The most writes one batch carries.
    public let largest: Int
    private let patience: Duration
    private let expired: any Error
    private let now: @Sendable () -> ContinuousClock.Instant

    /// - Parameters:
    ///   - patience: how long a write may wait for a lane; past it, it fails with `expired` when one frees.
    ///   - now: the clock, injectable for tests.
    public init(
        lanes: Int, largest: Int, patience: Duration, expired: any Error,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        precondition(lanes > 0 && largest > 0)
        self.lanes = lanes
        self.largest = largest
        self.patience = patience
        self.expired = expired
        self.now = now
    }

    /// How many writes wait for a lane.
    public var waitingCount: Int { state.withLock { $0.queue.count } }

    /// `input`'s outcome, once a batch holding it ran. `run` is the same for every call of one batcher.
    public func submit(_ input: Input, _ run: @escaping Run) async throws -> Output {
        try Task.checkCancellation()
        let id = ids.add(1, ordering: .relaxed).newValue
        let turn = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Turn, Never>) in
                // nil: cancelled before it could wait (the handler below found nothing to take out).
                let leads: Bool? = state.withLock { state in
                    guard state.running >= lanes else {
                        state.running += 1
                        return true
                    }
                    guard !Task.isCancelled else { return nil }
                    state.queue.append(Waiter(id: id, input: input, continuation: continuation, since: now()))
                    return false
                }
                switch leads {
                case true?: continuation.resume(returning: .lead(followers: []))
                case nil: continuation.resume(returning: .done(.failure(CancellationError())))
                case false?: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.queue.firstIndex { $0.id == id }.map { state.queue.remove(at: $0) }
            }
            waiter?.continuation.resume(returning: .done(.failure(CancellationError())))
        }
        switch turn {
        case .done(let result):
            return try result.get()
        case .lead(let followers):
            let inputs = [input] + followers.map(\.input)
            let results = await Task { await run(inputs) }.value
            precondition(results.count == inputs.count, "a batch must answer every write it was given")
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
        for waiter in stale { waiter.continuation.resume(returning: .done(.failure(expired))) }
        guard let leader = next.first else { return }
        leader.continuation.resume(returning: .lead(followers: Array(next.dropFirst())))
    }
}
