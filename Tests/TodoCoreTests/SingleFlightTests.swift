import Synchronization
import Testing
import TodoCore

@Suite struct SingleFlightTests {
    /// Calls for one key that begin while the first still takes company get its value; the work runs once.
    @Test func joinersShareTheLeadersValueAndTheWorkRunsOnce() async throws {
        let flights = SingleFlight<String, Int>()
        let runs = Counter()
        let (release, go) = AsyncStream.makeStream(of: Void.self)
        try await withThrowingTaskGroup(of: (value: Int, joined: Bool).self) { group in
            group.addTask {
                try await flights.run("task") { _ in
                    runs.add()
                    for await _ in release { break }
                    return 42
                }
            }
            // The leader is waiting for `go`; give it time to register, then add followers.
            while runs.value == 0 { await Task.yield() }
            for _ in 0..<5 {
                group.addTask { try await flights.run("task") { _ in runs.add(); return -1 } }
            }
            while flights.joinedCount("task") < 5 { await Task.yield() }
            go.yield()
            var results: [(value: Int, joined: Bool)] = []
            for try await result in group { results.append(result) }
            #expect(results.allSatisfy { $0.value == 42 })
            #expect(results.filter { !$0.joined }.count == 1)
        }
        #expect(runs.value == 1)
    }

    /// Once the leader stops taking company, a new call runs its own work, and other keys never wait.
    @Test func afterStopJoiningAndForOtherKeysCallsRunAlone() async throws {
        let flights = SingleFlight<String, Int>()
        let (release, go) = AsyncStream.makeStream(of: Void.self)
        let stopped = Counter()
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                try await flights.run("task") { stopJoining in
                    stopJoining()
                    stopped.add()
                    for await _ in release { break }
                    return 1
                }.value
            }
            while stopped.value == 0 { await Task.yield() }
            let own = try await flights.run("task") { _ in 2 }
            let other = try await flights.run("other") { _ in 3 }
            #expect(own.value == 2 && !own.joined)
            #expect(other.value == 3 && !other.joined)
            go.yield()
            #expect(try await group.next() == 1)
        }
    }

    /// A leader's failure is its joiners' too: its work may have taken effect before it failed.
    @Test func whenTheLeaderFailsItsJoinersFailWithIt() async throws {
        struct Refused: Error {}
        let flights = SingleFlight<String, Int>()
        let (release, go) = AsyncStream.makeStream(of: Void.self)
        let started = Counter()
        let runs = Counter()
        try await withThrowingTaskGroup(of: Result<Int, any Error>.self) { group in
            group.addTask {
                await Result(catching: {
                    try await flights.run("task") { _ in
                        started.add()
                        for await _ in release { break }
                        throw Refused()
                    }.value
                })
            }
            while started.value == 0 { await Task.yield() }
            for index in 1...3 {
                group.addTask { await Result(catching: { try await flights.run("task") { _ in runs.add(); return index }.value }) }
            }
            while flights.joinedCount("task") < 3 { await Task.yield() }
            go.yield()
            var failures = 0
            for try await result in group {
                if case .failure(let error) = result, error is Refused { failures += 1 }
            }
            #expect(failures == 4)
        }
        #expect(runs.value == 0)
        // The key is free again: the next call runs its own work.
        let next = try await flights.run("task") { _ in 7 }
        #expect(next.value == 7 && !next.joined)
    }
}

final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func add() { count.add(1, ordering: .relaxed) }
}
