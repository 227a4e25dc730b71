import Logging
import Synchronization
import Testing
import TodoCore
@testable import TodoStorage
import TodoTestSupport

@Suite(.timeLimit(.minutes(1))) struct OutageGuardTests {
    /// Connection attempts the test answers one by one: each waits for `answer(_:)`.
    final class Attempts: Sendable {
        private let waiting = Mutex<[CheckedContinuation<OutageGuard.ProbeResult, Never>]>([])
        var count: Int { waiting.withLock { $0.count } }

        @Sendable func attempt() async -> OutageGuard.ProbeResult {
            await withCheckedContinuation { continuation in waiting.withLock { $0.append(continuation) } }
        }

        func answer(_ result: OutageGuard.ProbeResult) {
            waiting.withLock { $0.isEmpty ? nil : $0.removeFirst() }?.resume(returning: result)
        }
    }

    @Test func aRefusalStartsAnOutageAndAnAnswerEndsIt() async throws {
        let attempts = Attempts()
        let outages = OutageGuard(logger: testLogger, attempt: attempts.attempt, recovered: {})
        let probing = Task { await outages.probe() }
        while attempts.count == 0 { await Task.yield() }
        attempts.answer(.refused("password authentication failed"))
        _ = await probing.value
        #expect(outages.outage == TodoError.unavailable("password authentication failed"))
        // The recovery loop probes again (after its backoff) and the database answers.
        while attempts.count == 0 { try await Task.sleep(for: .milliseconds(10)) }
        attempts.answer(.answered)
        while outages.outage != nil { try await Task.sleep(for: .milliseconds(10)) }
    }

    /// A probe that began before the location changed (SIGHUP with a rotated password) asked the old one: its
    /// refusal arriving after `clear()` must not start an outage for the new one.
    @Test func aRefusalFromBeforeALocationChangeStartsNoOutage() async {
        let attempts = Attempts()
        let outages = OutageGuard(logger: testLogger, attempt: attempts.attempt, recovered: {})
        let probing = Task { await outages.probe() }
        while attempts.count == 0 { await Task.yield() }
        outages.clear()
        attempts.answer(.refused("password authentication failed"))
        _ = await probing.value
        #expect(outages.outage == nil)
    }
}
