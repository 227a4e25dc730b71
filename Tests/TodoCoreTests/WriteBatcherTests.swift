import Synchronization
import Testing
import TodoCore

@Suite(.timeLimit(.minutes(1))) struct WriteBatcherTests {
    /// Records the batches a batcher ran; the first `held` batches wait for a `release()` each, in order.
    final class Writer: Sendable {
        private struct State {
            var batches: [[Int]] = []
            var released = 0
            var holding: [CheckedContinuation<Void, Never>] = []
        }

        private let state = Mutex(State())
        private let held: Int

        init(held: Int = 0) {
            self.held = held
        }

        var batches: [[Int]] { state.withLock { $0.batches } }

        /// Lets the longest-held batch answer (or the next one to be held, at once).
        func release() {
            let held = state.withLock { state in
                guard !state.holding.isEmpty else {
                    state.released += 1
                    return nil as CheckedContinuation<Void, Never>?
                }
                return state.holding.removeFirst()
            }
            held?.resume()
        }

        /// Doubles each input; 13 is refused, alone; everything fails when the task running the batch is cancelled.
        func run(_ inputs: [Int]) async -> [Result<Int, any Error>] {
            await withCheckedContinuation { continuation in
                let goes = state.withLock { state in
                    state.batches.append(inputs)
                    guard state.batches.count <= held else { return true }
                    guard state.released > 0 else {
                        state.holding.append(continuation)
                        return false
                    }
                    state.released -= 1
                    return true
                }
                if goes { continuation.resume() }
            }
            // Like a database call under a deadline: a cancelled task's call fails.
            if Task.isCancelled { return inputs.map { _ in .failure(CancellationError()) } }
            return inputs.map { $0 == 13 ? .failure(Refused()) : .success($0 * 2) }
        }
    }

    struct Refused: Error {}

    static let expired = TodoError.unavailable("too slow; not saved")

    @Test func aWriteThatFindsALaneFreeRunsAtOnceAlone() async throws {
        let batcher = WriteBatcher<Int, Int>(lanes: 1, largest: 8, patience: .seconds(5), expired: Self.expired)
        let writer = Writer()
        #expect(try await batcher.submit(1, writer.run) == 2)
        #expect(try await batcher.submit(2, writer.run) == 4)
        #expect(writer.batches == [[1], [2]])
    }

    /// While the only lane is busy, writes queue; when it frees, the one that waited longest leads them all, in
    /// order, and each caller gets its own answer (a refused one only its own failure).
    @Test func writesThatWaitGoTogetherInArrivalOrderWithTheirOwnAnswers() async throws {
        let batcher = WriteBatcher<Int, Int>(lanes: 1, largest: 8, patience: .seconds(5), expired: Self.expired)
        let writer = Writer(held: 1)
        try await withThrowingTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
            group.addTask { (0, await Result { try await batcher.submit(0, writer.run) }) }
            while writer.batches.isEmpty { await Task.yield() }
            for input in [11, 12, 13, 14] {
                group.addTask { (input, await Result { try await batcher.submit(input, writer.run) }) }
                while batcher.waitingCount < input - 10 { await Task.yield() }
            }
            writer.release()
            var answers: [Int: Result<Int, any Error>] = [:]
            for try await (input, answer) in group { answers[input] = answer }
            #expect(writer.batches == [[0], [11, 12, 13, 14]])
            for input in [0, 11, 12, 14] { #expect(try answers[input]!.get() == input * 2) }
            #expect(throws: Refused.self) { try answers[13]!.get() }
        }
        #expect(batcher.waitingCount == 0)
        #expect(try await batcher.submit(5, writer.run) == 10)
        #expect(writer.batches.last == [5])
    }

    /// No more than `lanes` batches run at once and none carries more than `largest` writes; the rest wait for the
    /// next free lane.
    @Test func lanesAndBatchSizeAreBounded() async throws {
        let batcher = WriteBatcher<Int, Int>(lanes: 2, largest: 3, patience: .seconds(5), expired: Self.expired)
        let writer = Writer(held: 3)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for input in [1, 2] {
                group.addTask { try await batcher.submit(input, writer.run) }
                while writer.batches.count < input { await Task.yield() }
            }
            for input in 3...7 {
                group.addTask { try await batcher.submit(input, writer.run) }
                while batcher.waitingCount < input - 2 { await Task.yield() }
            }
            #expect(writer.batches == [[1], [2]])
            writer.release()
            // One lane freed: the three that waited longest go; the others wait for a lane again.
            while writer.batches.count < 3 { await Task.yield() }
            #expect(writer.batches[2] == [3, 4, 5])
            #expect(batcher.waitingCount == 2)
            writer.release()
            writer.release()
            var answers: [Int] = []
            for try await answer in group { answers.append(answer) }
            #expect(answers.sorted() == [2, 4, 6, 8, 10, 12, 14])
        }
        #expect(writer.batches.count == 4)
        #expect(writer.batches[3] == [6, 7])
    }

    /// Writes that waited longer than `patience` for a lane (the database stalled) fail when it frees, unsent; the
    /// ones that came later still go.
    @Test func writesThatWaitedPastThePatienceFailUnsent() async throws {
        let clock = Mutex(ContinuousClock.now)
        let batcher = WriteBatcher<Int, Int>(
            lanes: 1, largest: 8, patience: .seconds(5), expired: Self.expired, now: { clock.withLock { $0 } }
        )
        let writer = Writer(held: 1)
        try await withThrowingTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
            group.addTask { (0, await Result { try await batcher.submit(0, writer.run) }) }
            while writer.batches.isEmpty { await Task.yield() }
            for input in [1, 2] {
                group.addTask { (input, await Result { try await batcher.submit(input, writer.run) }) }
                while batcher.waitingCount < input { await Task.yield() }
            }
            clock.withLock { $0 += .seconds(4) }
            group.addTask { (3, await Result { try await batcher.submit(3, writer.run) }) }
            while batcher.waitingCount < 3 { await Task.yield() }
            clock.withLock { $0 += .milliseconds(1_001) }
            writer.release()
            var answers: [Int: Result<Int, any Error>] = [:]
            for try await (input, answer) in group { answers[input] = answer }
            #expect(try answers[0]!.get() == 0)
            #expect(try answers[3]!.get() == 6)
            for input in [1, 2] {
                #expect(throws: Self.expired) { try answers[input]!.get() }
            }
        }
        #expect(writer.batches == [[0], [3]])
    }

    /// A write cancelled while it waits leaves the queue unsent; cancelling the task that leads a running batch
    /// fails nobody's write (the batch runs in a task of its own), so leader and followers get their answers.
    @Test func cancellationTakesAWaitingWriteOutAndNeverFailsARunningBatch() async throws {
        let batcher = WriteBatcher<Int, Int>(lanes: 1, largest: 8, patience: .seconds(5), expired: Self.expired)
        let writer = Writer(held: 2)
        let first = Task { try await batcher.submit(1, writer.run) }
        while writer.batches.isEmpty { await Task.yield() }
        let leader = Task { try await batcher.submit(2, writer.run) }
        while batcher.waitingCount < 1 { await Task.yield() }
        let cancelled = Task { try await batcher.submit(3, writer.run) }
        while batcher.waitingCount < 2 { await Task.yield() }
        let follower = Task { try await batcher.submit(4, writer.run) }
        while batcher.waitingCount < 3 { await Task.yield() }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(batcher.waitingCount == 2)
        writer.release()
        #expect(try await first.value == 2)
        while writer.batches.count < 2 { await Task.yield() }
        #expect(writer.batches == [[1], [2, 4]])
        leader.cancel()
        writer.release()
        #expect(try await leader.value == 4)
        #expect(try await follower.value == 8)
        await #expect(throws: CancellationError.self) {
            try await Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await batcher.submit(5, writer.run)
            }.value
        }
        #expect(writer.batches.count == 2, "a write cancelled before it began is never sent")
    }
}
