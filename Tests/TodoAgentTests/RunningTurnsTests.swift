import Testing
@testable import TodoAgent
import TodoCore

/// The registry a graceful shutdown drains: it refuses once draining, waits for running turns, interrupts the rest.
@Suite struct RunningTurnsTests {
    @Test func withNothingRunningADrainReturnsAtOnceAndRefusesNewTurns() async throws {
        let turns = RunningTurns()
        let outcome = await turns.drain(within: .seconds(60), grace: .seconds(60))
        #expect(outcome == (0, 0))
        #expect(throws: TodoError.unavailable("the server is shutting down; send the message again")) { _ = try turns.begin() }
    }

    @Test func aTurnThatEndsWithinTheBoundIsWaitedForNotInterrupted() async throws {
        let turns = RunningTurns()
        let ticket = try turns.begin()
        #expect(turns.count == 1)
        async let outcome = turns.drain(within: .seconds(60), grace: .seconds(60))
        // Once new turns are refused the drain has begun, and counted the running one; then it ends.
        while let probe = try? turns.begin() {
            probe.end()
            await Task.yield()
        }
        ticket.end()
        ticket.end()
        let (waited, interrupted) = await outcome
        // A probe may have been running at that moment too, and is counted as waited for.
        #expect(waited >= 1)
        #expect(interrupted == 0)
        #expect(turns.count == 0)
    }

    @Test func aTurnStillRunningAtTheBoundIsInterruptedAndWaitedForWithinTheGrace() async throws {
        let turns = RunningTurns()
        let ticket = try turns.begin()
        let stored = Task {
            // A turn that only ends when told to: it stores its record, then ends.
            _ = await ticket.interrupted()
            ticket.end()
            return true
        }
        let outcome = await turns.drain(within: .zero, grace: .seconds(60))
        #expect(outcome == (1, 1))
        #expect(await stored.value)
        #expect(turns.count == 0)
    }
}
