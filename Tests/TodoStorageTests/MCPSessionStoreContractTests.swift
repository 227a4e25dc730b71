import Foundation
import Testing
import TodoCore
import TodoStorage
import TodoTestSupport

@Suite struct MCPSessionStoreContractTests {
    @Test(arguments: StoreKind.available)
    func aSessionIsItsOwnersUntilItIdlesOrEnds(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Near the real time: replicas sweeping the shared test database expire only sessions idle for long.
            let start = Date()
            let (ada, bob) = (try await makeUser(store).id, try await makeUser(store).id)
            let id = RandomID.make()
            #expect(try await store.openMCPSession(id: id, userID: ada, limit: 5, now: start) == [])
            let later = start.addingTimeInterval(30)
            #expect(try await store.touchMCPSession(id: id, userID: ada, idleSince: start.addingTimeInterval(-60), now: later))
            #expect(try await !store.touchMCPSession(id: id, userID: bob, idleSince: start.addingTimeInterval(-60), now: later), "another user's")
            #expect(try await !store.endMCPSession(id: id, userID: bob), "another user cannot end it")
            // Touched at +30 s: idle since +29 s it is still open, idle since +30 s it is not.
            #expect(try await store.touchMCPSession(id: id, userID: ada, idleSince: later.addingTimeInterval(-1), now: later))
            #expect(try await !store.touchMCPSession(id: id, userID: ada, idleSince: later, now: later.addingTimeInterval(1)))
            #expect(try await store.openMCPSessions(among: [id, "unknown"]) == [id])
            #expect(try await store.endMCPSession(id: id, userID: ada))
            #expect(try await !store.endMCPSession(id: id, userID: ada))
            #expect(try await store.openMCPSessions(among: [id]) == [])
        }
    }

    @Test(arguments: StoreKind.available)
    func openingBeyondTheCapEndsTheLeastRecentlyUsed(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Near the real time: replicas sweeping the shared test database expire only sessions idle for long.
            let start = Date()
            let user = try await makeUser(store).id
            let ids = (0..<4).map { _ in RandomID.make() }
            for (index, id) in ids.prefix(3).enumerated() {
                _ = try await store.openMCPSession(id: id, userID: user, limit: 3, now: start.addingTimeInterval(Double(index)))
            }
            // The oldest is used again, so the second is now the least recently used.
            #expect(try await store.touchMCPSession(id: ids[0], userID: user, idleSince: .distantPast, now: start.addingTimeInterval(10)))
            #expect(try await store.openMCPSession(id: ids[3], userID: user, limit: 3, now: start.addingTimeInterval(11)) == [ids[1]])
            #expect(try await store.openMCPSessions(among: ids) == [ids[0], ids[2], ids[3]])
            // A replica whose clock is behind still keeps the session it opens.
            let late = RandomID.make()
            let ended = try await store.openMCPSession(id: late, userID: user, limit: 3, now: start)
            #expect(ended == [ids[2]])
            #expect(try await store.openMCPSessions(among: ids + [late]) == [ids[0], ids[3], late])
        }
    }

    /// Expiry ends every user's idle sessions, so on PostgreSQL it gets a database of its own.
    @Test(arguments: StoreKind.available)
    func expiryEndsOnlyIdleSessionsAndDeletingTheUserEndsTheirs(kind: StoreKind) async throws {
        try await withIsolatedStore(kind) { store in
            // Near the real time: replicas sweeping the shared test database expire only sessions idle for long.
            let start = Date()
            let user = try await makeUser(store)
            let (idle, busy) = (RandomID.make(), RandomID.make())
            _ = try await store.openMCPSession(id: idle, userID: user.id, limit: 5, now: start)
            _ = try await store.openMCPSession(id: busy, userID: user.id, limit: 5, now: start.addingTimeInterval(100))
            let expired = try await store.expireMCPSessions(idleSince: start.addingTimeInterval(50))
            #expect(expired == [idle])
            #expect(try await store.openMCPSessions(among: [idle, busy]) == [busy])
            let many = (0..<1_200).map { _ in RandomID.make() } + [busy]
            #expect(try await store.openMCPSessions(among: many) == [busy], "ids beyond one statement's share")
            try await store.database.execute(#"DELETE FROM "user" WHERE "id" = $1"#, [.text(user.id)])
            #expect(try await store.openMCPSessions(among: [busy]) == [])
        }
    }
}
