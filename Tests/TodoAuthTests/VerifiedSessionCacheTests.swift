import Foundation
import Testing
import TodoAuth
import TodoCore
import TodoStorage
import TodoTestSupport

/// Verified sessions are answered from memory for the time to live, never past the session's expiry, and a
/// sign-out on the same replica is seen at once.
@Suite struct VerifiedSessionCacheTests {
    @Test(arguments: StoreKind.available)
    func aCachedSessionSkipsTheQueryUntilItsTimeToLiveEnds(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let cached = AuthService(store: store, hasher: cheapHasher, sessionCache: VerifiedSessionCache(timeToLive: .seconds(60)))
            let direct = AuthService(store: store, hasher: cheapHasher)
            let session = try await cached.signUp(name: "Ada", email: "\(UUID().uuidString)@example.com", password: "correct horse", ipAddress: nil, userAgent: nil)
            let token = session.session.token
            #expect(try await cached.authenticate(token: token)?.user == session.user)
            // Signed out through another replica (no shared cache): this one still trusts it within the TTL…
            try await direct.signOut(token: token)
            #expect(try await direct.authenticate(token: token) == nil)
            #expect(try await cached.authenticate(token: token)?.user == session.user, "the bound is the time to live")
            // …and a sign-out through this one ends it here at once.
            try await cached.signOut(token: token)
            #expect(try await cached.authenticate(token: token) == nil)
        }
    }

    @Test func anEntryNeverOutlivesItsSession() async throws {
        try await withStore(.sqliteMemory) { store async throws in
            let start = Date()
            let user = try await store.createUser(name: "Ada", email: "\(UUID().uuidString)@example.com", passwordHash: "x")
            // A session with 5 s left, cached for up to 10 s: the cache may keep it only until the session ends.
            let session = try await store.createSession(
                userID: user.id, token: RandomID.make(), startedAt: start, expiresAt: start.addingTimeInterval(5), ipAddress: nil, userAgent: nil
            )
            let clock = ManualClock(start: start)
            let auth = AuthService(store: store, hasher: cheapHasher, sessionCache: VerifiedSessionCache(timeToLive: .seconds(10)), now: clock.now)
            #expect(try await auth.authenticate(token: session.token) != nil)
            clock.advance(by: 6)
            #expect(try await auth.authenticate(token: session.token) == nil, "expired 1 s ago")
        }
    }

    @Test func aFullCacheStaysBounded() async throws {
        try await withStore(.sqliteMemory) { store async throws in
            let auth = AuthService(store: store, hasher: cheapHasher, sessionCache: VerifiedSessionCache(timeToLive: .seconds(60), capacity: 3))
            var tokens: [String] = []
            for index in 0..<5 {
                let session = try await auth.signUp(name: "U\(index)", email: "\(UUID().uuidString)@example.com", password: "correct horse", ipAddress: nil, userAgent: nil)
                tokens.append(session.session.token)
                #expect(try await auth.authenticate(token: session.session.token)?.user.id == session.user.id)
            }
            // Every token still resolves to its own user, whether from memory or the store.
            for token in tokens { #expect(try await auth.authenticate(token: token)?.session.token == token) }
        }
    }
}
