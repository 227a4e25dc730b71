import Synchronization
import TodoCore

/// The chat turns running in this process, so a graceful shutdown can refuse new ones, wait for the running ones
/// and interrupt what is left, and a user can stop one: a turn keeps running after its client leaves, and must be
/// stored whole either way.
public final class RunningTurns: Sendable {
    /// Why a running turn is told to end early.
    public enum Interruption: Sendable {
        /// The server shuts down.
        case shutdown
        /// The user asked to stop it (on this replica or another).
        case stop
    }

    private struct State {
        var draining = false
        var nextID = 0
        var running: [Int: AsyncStream<Interruption>.Continuation] = [:]
        /// The stored turn id of each running turn, once it has one.
        var turnIDs: [Int: String] = [:]
        /// Told when `running` becomes empty while a drain waits.
        var idleSignal: AsyncStream<Void>.Continuation?
    }

    private let state = Mutex(State())

    public init() {}

    /// How many turns are running now.
    public var count: Int { state.withLock { $0.running.count } }

    /// The stored ids of the turns running now.
    public var runningTurnIDs: [String] { state.withLock { Array($0.turnIDs.values) } }

    /// Tells the running turn with this stored id to stop; false when it does not run here.
    @discardableResult
    public func stop(turnID: String) -> Bool {
        let running = state.withLock { state in
            state.turnIDs.first(where: { $0.value == turnID }).flatMap { state.running[$0.key] }
        }
        running?.yield(.stop)
        return running != nil
    }

    fileprivate func bind(_ id: Int, to turnID: String) {
        state.withLock { state in
            guard state.running[id] != nil else { return }
            state.turnIDs[id] = turnID
        }
    }

    /// Registers a turn; once a drain has begun the answer is 503, before anything of the turn is stored.
    public func begin() throws(TodoError) -> Ticket {
        let (interruption, continuation) = AsyncStream<Interruption>.makeStream(bufferingPolicy: .bufferingNewest(1))
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
            for continuation in state.running.values { continuation.yield(.shutdown) }
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
            state.turnIDs.removeValue(forKey: id)
            if state.running.isEmpty { state.idleSignal?.yield() }
        }
    }

    /// One running turn's registration; `end` it once the turn is stored, whatever the outcome.
    public final class Ticket: Sendable {
        private let id: Int
        private let turns: RunningTurns
        private let ended = OnceFlag()
        let interruption: AsyncStream<Interruption>

        fileprivate init(id: Int, turns: RunningTurns, interruption: AsyncStream<Interruption>) {
            self.id = id
            self.turns = turns
            self.interruption = interruption
        }

        /// Returns when the turn is told to end early; nil when it ended or the waiting task was cancelled.
        func interrupted() async -> Interruption? {
            var iterator = interruption.makeAsyncIterator()
            return await iterator.next()
        }

        /// Names the turn by its stored id, so a stop request for that id reaches it.
        func bind(to turnID: String) {
            turns.bind(id, to: turnID)
        }

        public func end() {
            guard ended.set() else { return }
            turns.end(id)
        }
    }
}
