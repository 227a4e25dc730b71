import Logging
import ServiceLifecycle
import TodoAgent

/// Lets running chat turns finish at shutdown. It runs beside the database and, started after it, stops before it:
/// after the server has stopped accepting, it refuses new turns, waits for the running ones up to `AGENT_TIMEOUT`
/// (no turn outlives its own deadline), and records what is still running as interrupted.
struct TurnDrain: Service {
    let turns: RunningTurns
    /// How long running turns are waited for.
    let bound: Duration
    /// How long an interrupted turn has to store what it did.
    let grace: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        let running = turns.count
        guard running > 0 else { return }
        logger.info("waiting for running chat turns", metadata: ["turns": "\(running)", "bound": "\(bound)"])
        let outcome = await turns.drain(within: bound, grace: grace)
        if outcome.interrupted > 0 {
            logger.warning("chat turns interrupted at shutdown", metadata: ["turns": "\(outcome.interrupted)"])
        } else {
            logger.info("running chat turns finished", metadata: ["turns": "\(outcome.waited)"])
        }
    }
}
