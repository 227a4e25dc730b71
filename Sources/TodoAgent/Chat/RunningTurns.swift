import Synchronization
import TodoCore

/// The chat turns running in this process, so a graceful shutdown can refuse new ones, wait for the running ones
/// and interrupt what is left: a turn keeps running after its client leaves, and must be stored whole either way.
public final class RunningTurns: Sendable {
    private struct State {
        var draining = false
        var nextID = 0
        var running: [Int: AsyncStream<Void>.Continuation] = [:]
        /// Told when `running` becomes empty while a drain waits.
        var idleSignal: AsyncStream<Void>.Continuation?
    }

    private let state = Mutex(State())

    public init() {}

    /// How many turns are running now.
    public var count: Int { state.withLock { $0.running.count } }

    /// Registers a turn; once a drain has begun the answer is 503, before anything of the turn is stored.
    public func begin() throws(TodoError) -> Ticket {
        let (interruption, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id: Int? = state.withLock { state in
            guard !state.draining else { return nil }
            state.nextID += 1
            state.running[state.nextID] = continuation
            return state.nextID
        }
        guard let id else { throw .unavailable("the server is shutting down; send the message again") }
        return Ticket(id: id, turns: self, interruption: interruption)
    }

    /// Refuses new turns, waits up to `bound` for the running ones, then interrupts the rest and waits up to `grace`
    /// for them to store what they did. Returns how many turns were waited for and how many were interrupted.
    public func drain(within bound: Duration, grace: Duration) async -> (waited: Int, interrupted: Int) {
        let waited = state.withLock { state in
            state.draining = true
            return state.running.count
        }
        guard waited > 0 else { return (0, 0) }
        if await idle(within: bound) { return (waited, 0) }
        let interrupted = state.withLock { state in
            for continuation in state.running.values { continuation.yield() }
            return state.running.count
        }
        _ = await idle(within: grace)
        return (waited, interrupted)
    }

    /// True when no turn runs any more before `limit` has passed (or the waiting task is cancelled).
    private func idle(within limit: Duration) async -> Bool {
        let (signal, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let alreadyIdle = state.withLock { state in
            state.idleSignal = continuation
            return state.running.isEmpty
        }
        if alreadyIdle { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in signal { return true }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    fileprivate func end(_ id: Int) {
        state.withLock { state in
            state.running.removeValue(forKey: id)?.finish()
            if state.running.isEmpty { state.idleSignal?.yield() }
        }
    }

    /// One running turn's registration; `end` it once the turn is stored, whatever the outcome.
    public final class Ticket: Sendable {
        private let id: Int
        private let turns: RunningTurns
        private let ended = OnceFlag()
        let interruption: AsyncStream<Void>

        fileprivate init(id: Int, turns: RunningTurns, interruption: AsyncStream<Void>) {
            self.id = id
            self.turns = turns
            self.interruption = interruption
        }

        /// Returns when the drain interrupts the turn; nil when the turn ended or the waiting task was cancelled.
        func interrupted() async -> Void? {
            var iterator = interruption.makeAsyncIterator()
            return await iterator.next()
        }

        public func end() {
            guard ended.set() else { return }
            turns.end(id)
        }
    }
}
