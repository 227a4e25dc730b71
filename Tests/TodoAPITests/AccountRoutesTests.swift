import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TodoAPI
import TodoAuth
import TodoCore
import TodoTestSupport

/// Better Auth's account routes: the name, the password, the sessions a user sees and ends, and deleting the account.
@Suite struct AccountRoutesTests {
    static func post(_ client: some TestClientProtocol, _ path: String, _ token: String, _ body: String = "{}") async throws -> TestResponse {
        try await client.execute(
            uri: "/api/auth/\(path)", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: ByteBuffer(string: body)
        )
    }

    static func signIn(_ client: some TestClientProtocol, _ email: String, _ password: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/auth/sign-in/email", method: .post, headers: AuthRoutesTests.jsonHeaders,
            body: ByteBuffer(string: #"{"email":"\#(email)","password":"\#(password)"}"#)
        )
    }

    static func alive(_ client: some TestClientProtocol, _ token: String) async throws -> Bool {
        try await client.execute(uri: "/api/tasks", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .ok
    }

    static func account(_ client: some TestClientProtocol) async throws -> (email: String, token: String) {
        let email = AuthRoutesTests.uniqueEmail("life")
        let token = try #require(try json(try await AuthRoutesTests.signUp(client, email: email).body)["token"] as? String)
        return (email, token)
    }

    @Test(arguments: StoreKind.available)
    func nameAndImageChangeAndEverythingNeedsASession(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            #expect(try json(try await client.execute(uri: "/api/auth/ok", method: .get).body)["ok"] as? Bool == true)
            let (_, token) = try await Self.account(client)
            let updated = try await Self.post(client, "update-user", token, #"{"name":"Grace Hopper","image":"https://example.com/g.png"}"#)
            #expect(try updated.status == .ok && (json(updated.body)["status"] as? Bool) == true)
            var user = try json(try await client.execute(uri: "/api/auth/get-session", method: .get, headers: [.authorization: "Bearer \(token)"]).body)["user"] as? [String: Any]
            #expect(user?["name"] as? String == "Grace Hopper" && user?["image"] as? String == "https://example.com/g.png")
            _ = try await Self.post(client, "update-user", token, #"{"image":null}"#)
            user = try json(try await client.execute(uri: "/api/auth/get-session", method: .get, headers: [.authorization: "Bearer \(token)"]).body)["user"] as? [String: Any]
            #expect(user?["name"] as? String == "Grace Hopper" && user?["image"] is NSNull, "null removes the image, the name stays")
            #expect(try await Self.post(client, "update-user", token, #"{"name":"  "}"#).status == .unprocessableContent)
            for path in ["update-user", "change-password", "revoke-session", "revoke-sessions", "revoke-other-sessions", "delete-user"] {
                #expect(try await Self.post(client, path, "not-a-session").status == .unauthorized, "\(path)")
            }
            #expect(try await client.execute(uri: "/api/auth/list-sessions", method: .get).status == .unauthorized)
        }
    }

    @Test(arguments: StoreKind.available)
    func aPasswordChangesOnlyWithTheCurrentOneAndCanEndEveryOtherSession(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let (email, first) = try await Self.account(client)
            let second = try #require(try json(try await Self.signIn(client, email, "correct horse").body)["token"] as? String)
            let wrong = try await Self.post(client, "change-password", first, #"{"currentPassword":"nope nope","newPassword":"battery staple"}"#)
            #expect(try wrong.status == .badRequest && (json(wrong.body)["code"] as? String) == "INVALID_PASSWORD")
            let short = try await Self.post(client, "change-password", first, #"{"currentPassword":"correct horse","newPassword":"short"}"#)
            #expect(try json(short.body)["code"] as? String == "PASSWORD_TOO_SHORT")
            #expect(try await Self.signIn(client, email, "correct horse").status == .ok, "nothing changed on a refusal")

            let kept = try await Self.post(client, "change-password", first, #"{"currentPassword":"correct horse","newPassword":"battery staple"}"#)
            #expect(try kept.status == .ok && (json(kept.body)["token"] is NSNull) && kept.headers[.setCookie] == nil)
            #expect(try await Self.signIn(client, email, "correct horse").status == .unauthorized)
            #expect(try await Self.signIn(client, email, "battery staple").status == .ok)
            #expect(try await Self.alive(client, second), "without revokeOtherSessions other sessions stay")

            let revoked = try await Self.post(client, "change-password", first, #"{"currentPassword":"battery staple","newPassword":"horse battery","revokeOtherSessions":true}"#)
            let fresh = try #require(try json(revoked.body)["token"] as? String)
            #expect(revoked.headers[.setCookie]?.hasPrefix("better-auth.session_token=") == true)
            #expect(try await !Self.alive(client, first), "every earlier session ended")
            #expect(try await !Self.alive(client, second))
            #expect(try await Self.alive(client, fresh))
        }
    }

    @Test(arguments: StoreKind.available)
    func sessionsAreListedAndEndedByTheirOwnerOnly(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let (email, first) = try await Self.account(client)
            let second = try #require(try json(try await Self.signIn(client, email, "correct horse").body)["token"] as? String)
            let third = try #require(try json(try await Self.signIn(client, email, "correct horse").body)["token"] as? String)
            let (_, stranger) = try await Self.account(client)
            let listed = try await client.execute(uri: "/api/auth/list-sessions", method: .get, headers: [.authorization: "Bearer \(first)"])
            let sessions = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: listed.body).utf8)) as? [[String: Any]])
            #expect(Set(sessions.compactMap { $0["token"] as? String }) == [first, second, third], "the caller's sessions, no one else's")

            #expect(try await Self.post(client, "revoke-session", stranger, #"{"token":"\#(second)"}"#).status == .ok)
            #expect(try await Self.alive(client, second), "another user cannot end it")
            _ = try await Self.post(client, "revoke-session", first, #"{"token":"\#(second)"}"#)
            #expect(try await !Self.alive(client, second))
            #expect(try await Self.alive(client, first))

            _ = try await Self.post(client, "revoke-other-sessions", first)
            #expect(try await !Self.alive(client, third))
            #expect(try await Self.alive(client, first))
            #expect(try await Self.alive(client, stranger))
            let all = try await Self.post(client, "revoke-sessions", first)
            #expect(all.headers[values: .setCookie].count == 3)
            #expect(try await !Self.alive(client, first))
        }
    }

    @Test(arguments: StoreKind.available)
    func deletingTheAccountNeedsItsPasswordAndTakesEverything(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let (email, token) = try await Self.account(client)
            _ = try await client.execute(
                uri: "/api/tasks", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"title":"Secret plans"}"#)
            )
            let wrong = try await Self.post(client, "delete-user", token, #"{"password":"guess guess"}"#)
            #expect(try wrong.status == .badRequest && (json(wrong.body)["code"] as? String) == "INVALID_PASSWORD")
            #expect(try await Self.alive(client, token), "a wrong password deletes nothing")
            let deleted = try await Self.post(client, "delete-user", token, #"{"password":"correct horse"}"#)
            #expect(try deleted.status == .ok && (json(deleted.body)["success"] as? Bool) == true)
            #expect(try await !Self.alive(client, token))
            #expect(try await Self.signIn(client, email, "correct horse").status == .unauthorized)
            let again = try #require(try json(try await AuthRoutesTests.signUp(client, email: email).body)["token"] as? String)
            let tasks = try json(try await client.execute(uri: "/api/tasks", method: .get, headers: [.authorization: "Bearer \(again)"]).body)
            #expect((tasks["tasks"] as? [Any])?.isEmpty == true, "the email is free again and nothing of the old account is left")
        }
    }

    /// Better Auth's rule: without the password only a session younger than a day (`freshAge`) may delete.
    /// (SQLite only: moving the clock a day on would move the shared sign-in limits for every other test.)
    @Test func withoutThePasswordOnlyAFreshSessionDeletesTheAccount() async throws {
        let clock = ManualClock(start: Date())
        try await withAPI(.sqliteMemory, now: clock.now) { client in
            let (_, stale) = try await Self.account(client)
            clock.advance(by: 86_400 + 1)
            let refused = try await Self.post(client, "delete-user", stale)
            #expect(try refused.status == .badRequest && (json(refused.body)["code"] as? String) == "SESSION_EXPIRED")
            #expect(try await Self.alive(client, stale), "nothing was deleted")
            let (_, fresh) = try await Self.account(client)
            clock.advance(by: 600)
            let deleted = try await Self.post(client, "delete-user", fresh)
            #expect(try deleted.status == .ok && (json(deleted.body)["message"] as? String) == "User deleted")
            #expect(try await !Self.alive(client, fresh))
        }
    }

    @Test func accountRoutesCountTowardTheUsersRequestLimit() async throws {
        try await withAPI(.sqliteMemory, configure: { $0.rateLimitPerMinute = 3 }) { client in
            let (_, token) = try await Self.account(client)
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<4 { statuses.append(try await Self.post(client, "update-user", token, #"{"name":"N\#(index)"}"#).status) }
            #expect(statuses == [.ok, .ok, .ok, .tooManyRequests])
        }
    }

    @Test func aCookieChangeFromAnUntrustedOriginIsRefused() async throws {
        try await withAPI(configure: { $0.auth.publicURL = "http://localhost:3000" }) { client in
            let cookie = try AuthRoutesTests.cookiePair(try await AuthRoutesTests.signUp(client, email: AuthRoutesTests.uniqueEmail()))
            let forged = try await client.execute(
                uri: "/api/auth/revoke-sessions", method: .post, headers: [.cookie: cookie, .origin: "https://evil.example"]
            )
            #expect(forged.status == .forbidden)
            let own = try await client.execute(
                uri: "/api/auth/update-user", method: .post, headers: [.cookie: cookie, .origin: "http://localhost:3000", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"Ada"}"#)
            )
            #expect(own.status == .ok)
        }
    }
}
