import Logging
import ServiceLifecycle
import TodoCore

/// Connects this replica's running turns to the shared turn record: stops the ones a user asked to stop through
/// any replica, and marks the rest alive so no one takes them for abandoned. One query per tick for all turns,
/// and none while no turn runs.
public struct TurnWatcher: Service, CustomStringConvertible {
    let turns: RunningTurns
    let store: any ChatTurnStore
    let interval: Duration
    let logger: Logger

    /// `interval` bounds how long a stop takes to reach a turn on another replica.
    public init(turns: RunningTurns, store: any ChatTurnStore, interval: Duration = .milliseconds(250), logger: Logger) {
        self.turns = turns
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public var description: String { "TurnWatcher" }

    public func run() async throws {
        let clock = ContinuousClock()
        var lastBeat = clock.now
        while (try? await Task.sleep(for: interval)) != nil, !Task.isShuttingDownGracefully {
            let ids = turns.runningTurnIDs
            guard !ids.isEmpty else { continue }
            do {
                for id in try await store.stopRequested(among: ids) { turns.stop(turnID: id) }
                if clock.now - lastBeat >= ChatService.heartbeatInterval {
                    try await store.heartbeat(ids)
                    lastBeat = clock.now
                }
            } catch {
                logger.debug("turn watch failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
