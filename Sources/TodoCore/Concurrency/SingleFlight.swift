import Synchronization

/// Joins concurrent calls for the same key to the one already running: they wait for its outcome, value or error,
/// instead of doing the same work again. The running call decides how long it takes company (`stopJoining`): until
/// its own effect could be visible, so that a call joining it could as well have run just before it, read what it
/// read and done what it did. Its failure is theirs too: by then it may have taken effect, and running again could
/// repeat or undo it.
public final class SingleFlight<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The callers waiting for each call that still takes company (nil resumes the one that leads).
    private let waiting = Mutex<[Key: [CheckedContinuation<Result<Value, any Error>?, Never>]]>([:])

    public init() {}

    /// How many calls wait for the running call for `key`.
    public func joinedCount(_ key: Key) -> Int {
        waiting.withLock { $0[key]?.count ?? 0 }
    }

    /// `work`'s value, or the outcome of the call for `key` this one joined (`joined`). `work` calls `stopJoining`
    /// before its effect can be seen; calls for `key` that begin after that run on their own.
    public func run(
        _ key: Key, _ work: (_ stopJoining: () -> Void) async throws -> Value
    ) async throws -> (value: Value, joined: Bool) {
        var leads = false
        let running: Result<Value, any Error>? = await withCheckedContinuation { continuation in
            leads = waiting.withLock { waiting in
                guard waiting[key] != nil else {
                    waiting[key] = []
                    return true
                }
                waiting[key]!.append(continuation)
                return false
            }
            if leads { continuation.resume(returning: nil) }
        }
        if let running { return (try running.get(), true) }
        var joined: [CheckedContinuation<Result<Value, any Error>?, Never>]?
        let stopJoining = {
            if joined == nil { joined = self.waiting.withLock { $0.removeValue(forKey: key) ?? [] } }
        }
        let outcome = await Result { try await work(stopJoining) }
        stopJoining()
        for continuation in joined ?? [] { continuation.resume(returning: outcome) }
        return (try outcome.get(), false)
    }
}
