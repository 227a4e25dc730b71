import Foundation
import Logging
import Synchronization
import Testing
@testable import TodoAPI
import TodoCore
import TodoTestSupport

/// The hub's fan-out: streams that close while events are being handed out must not stall it (a stream's
/// termination handler and the hand-out once waited on each other's locks and froze serve-api).
@Suite struct EventHubTests {
    /// A change log that grows by one event of `user` on every read.
    final class GrowingLog: EventStore, Sendable {
        let next = Mutex<Int64>(0)
        let user: String

        init(user: String) { self.user = user }

        func events(after: Int64, orIn missing: [Int64], limit: Int) async throws -> [ChangeEvent] {
            let id = next.withLock { value in
                value += 1
                return value
            }
            return [ChangeEvent(id: id, userID: user, kind: "task.updated", data: "{}", createdAt: Date())]
        }

        func events(userID: String, after: Int64, limit: Int) async throws -> [ChangeEvent] { [] }
        func latestEventID() async throws -> Int64 { next.withLock { $0 } }
        func pruneEvents(before date: Date) async throws {}
    }

    @Test func streamsClosingWhileEventsAreHandedOutDoNotStallTheHub() async throws {
        let hub = EventHub(store: GrowingLog(user: "ada"), logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Streams open, take an event or none, and close, again and again.
                for _ in 0..<300 {
                    let subscription = try await hub.subscribe(userID: "ada")
                    let reader = Task {
                        for await _ in subscription.events { break }
                    }
                    await Task.yield()
                    reader.cancel()
                    _ = await reader.value
                }
            }
            group.addTask {
                for _ in 0..<600 {
                    await hub.tick()
                    await Task.yield()
                }
            }
            try await group.waitForAll()
        }
        // Every closed stream is gone from the hub; it still serves a new one.
        for _ in 0..<100 where hub.subscriberCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(hub.subscriberCount == 0)
        let last = try await hub.subscribe(userID: "ada")
        await hub.tick()
        var iterator = last.events.makeAsyncIterator()
        #expect(await iterator.next()?.userID == "ada")
    }

    @Test func aSlowStreamIsClosedNotBufferedWithoutBound() async throws {
        let hub = EventHub(store: GrowingLog(user: "ada"), logger: testLogger)
        let unread = try await hub.subscribe(userID: "ada")
        for _ in 0..<(EventHub.buffer + 10) { await hub.tick() }
        #expect(hub.subscriberCount == 0, "the stream that never read was dropped")
        var count = 0
        for await _ in unread.events { count += 1 }
        #expect(count == EventHub.buffer, "what it had waiting is still readable, then it ends")
    }
}
