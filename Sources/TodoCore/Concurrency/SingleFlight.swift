import Synchronization

/// Joins concurrent calls for the same key to the one already running: they wait for its outcome instead of doing
/// the same work again. The running call decides how long it takes company (`stopJoining`): until its own effect
/// could be visible, so that a call joining it could also have run before it. When the running call fails, those
/// that joined it start over (one of them leads), so a failure is never handed to a caller whose own attempt might
/// have succeeded.
public final class SingleFlight<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The callers waiting for each call that still takes company.
    private let waiting = Mutex<[Key: [CheckedContinuation<Value?, Never>]]>([:])

    public init() {}

    /// How many calls wait for the running call for `key`.
    public func joinedCount(_ key: Key) -> Int {
        waiting.withLock { $0[key]?.count ?? 0 }
    }

    /// `work`'s value, or the value of the call for `key` this one joined (`joined`). `work` calls `stopJoining`
    /// before its effect can be seen; calls for `key` that begin after that run on their own.
    public func run(
        _ key: Key, _ work: (_ stopJoining: () -> Void) async throws -> Value
    ) async throws -> (value: Value, joined: Bool) {
        while true {
            var leads = false
            let running: Value? = await withCheckedContinuation { continuation in
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
            if let running { return (running, true) }
            guard leads else { continue }
            var joined: [CheckedContinuation<Value?, Never>]?
            let stopJoining = {
                if joined == nil { joined = self.waiting.withLock { $0.removeValue(forKey: key) ?? [] } }
            }
            do {
                let value = try await work(stopJoining)
                stopJoining()
                for continuation in joined ?? [] { continuation.resume(returning: value) }
                return (value, false)
            } catch {
                stopJoining()
                for continuation in joined ?? [] { continuation.resume(returning: nil) }
                throw error
            }
        }
    }
}
