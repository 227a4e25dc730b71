import Logging
import Synchronization
import TodoCore

/// Knows whether PostgreSQL refuses connections right now, so requests fail at once with 503 instead of each waiting
/// the whole `DATABASE_TIMEOUT`, and notices by itself when it answers again.
///
/// PostgresNIO's pool keeps retrying a refused connection in the background while requests wait for a lease, so the
/// pool alone cannot tell "refused" from "slow". A request that has waited `probeAfter` asks for one direct
/// connection (one probe at a time, shared by every request asking meanwhile). Refused, reset, DNS, TLS or login
/// failures mark an outage: later requests fail at once, and a background loop probes with backoff until the
/// database answers, then clears it. A database that accepts but does not answer (stalled) is not an outage here:
/// requests wait for their deadline, as they must.
final class OutageGuard: Sendable {
    enum ProbeResult: Sendable {
        case answered, refused(String), silent
    }

    /// How long a request waits before it asks for a probe.
    static let probeAfter = Duration.milliseconds(150)

    private struct State {
        var reason: String?
        var probe: Task<ProbeResult, Never>?
        var recovering = false
        /// Moved by `clear()`: a probe begun before it asked another location, and its refusal says nothing now.
        var epoch = 0
    }

    private let state = Mutex(State())
    private let attempt: @Sendable () async -> ProbeResult
    private let recovered: @Sendable () -> Void
    private let logger: Logger

    /// - Parameters:
    ///   - attempt: one direct connection attempt under its own deadline.
    ///   - recovered: called when the database answers again after an outage (the backend renews its pool).
    init(logger: Logger, attempt: @escaping @Sendable () async -> ProbeResult, recovered: @escaping @Sendable () -> Void) {
        self.logger = logger
        self.attempt = attempt
        self.recovered = recovered
    }

    /// The error requests get during an outage, nil when the database is not known to refuse.
    var outage: TodoError? {
        state.withLock { $0.reason }.map { TodoError.unavailable($0) }
    }

    /// A deadline checkpoint that probes once a request has waited `probeAfter`.
    var checkpoint: DeadlineCheckpoint {
        DeadlineCheckpoint(after: Self.probeAfter) { [self] in
            if let outage { return outage }
            guard case .refused = await probe() else { return nil }
            return outage
        }
    }

    /// Ends the outage at once: a new location (SIGHUP) just connected.
    func clear() {
        state.withLock { state in
            state.reason = nil
            state.probe = nil
            state.epoch += 1
        }
    }

    /// One probe, shared by every caller while it runs; a refusal starts the outage.
    func probe() async -> ProbeResult {
        let (task, epoch) = state.withLock { state -> (Task<ProbeResult, Never>, Int) in
            if let probe = state.probe { return (probe, state.epoch) }
            let probe = Task { await self.attempt() }
            state.probe = probe
            return (probe, state.epoch)
        }
        let result = await task.value
        let startsOutage = state.withLock { state -> Bool in
            if state.probe == task { state.probe = nil }
            guard case .refused(let reason) = result, state.reason == nil, state.epoch == epoch else { return false }
            state.reason = reason
            let start = !state.recovering
            state.recovering = true
            return start
        }
        if startsOutage {
            if case .refused(let reason) = result {
                logger.error("database unreachable; requests fail at once until it answers", metadata: ["reason": "\(reason)"])
            }
            Task { await self.recover() }
        }
        return result
    }

    /// Probes with backoff until the database answers, then ends the outage.
    private func recover() async {
        var delay = Duration.milliseconds(250)
        while true {
            try? await Task.sleep(for: delay)
            if case .answered = await attempt() { break }
            delay = min(delay * 2, .seconds(5))
        }
        state.withLock { state in
            state.reason = nil
            state.recovering = false
        }
        recovered()
        logger.notice("database reachable again")
    }
}
