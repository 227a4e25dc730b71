import Foundation
import Testing
import TodoCore

/// `withDeadline`: the operation's answer, the deadline's error, and a checkpoint that may end the wait early.
@Suite struct DeadlineTests {
    struct Refused: Error {}

    @Test func anAnswerInTimeIsReturned() async throws {
        #expect(try await withDeadline(.seconds(30), "work") { 42 } == 42)
    }

    /// The database stalls (the operation never answers) and so does the probe the checkpoint runs: the caller
    /// still gets the deadline's error at the deadline, not after the probe's own wait. The 30 s sleeps stand for
    /// "never"; the bound of 20 s only tells a hang from an answer.
    @Test func aSlowCheckpointNeverLengthensTheWait() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let checkpoint = DeadlineCheckpoint(after: .milliseconds(20)) {
            try? await Task.sleep(for: .seconds(30))
            return nil
        }
        await #expect(throws: TodoError.deadlineExceeded("PostgreSQL", .milliseconds(300))) {
            try await withDeadline(.milliseconds(300), "PostgreSQL", checkpoint: checkpoint) {
                try await Task.sleep(for: .seconds(30))
            }
        }
        #expect(clock.now - started < .seconds(20))
    }

    @Test func aCheckpointThatFindsAnOutageEndsTheWaitWithIt() async throws {
        let checkpoint = DeadlineCheckpoint(after: .milliseconds(10)) { Refused() }
        await #expect(throws: Refused.self) {
            try await withDeadline(.seconds(30), "PostgreSQL", checkpoint: checkpoint) {
                try await Task.sleep(for: .seconds(60))
            }
        }
    }
}
