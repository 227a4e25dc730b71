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

/// A signed-up user as a client sees it.
struct TestAccount {
    let id: String
    let token: String
    let cookie: String

    var bearer: HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

    static func create(_ client: some TestClientProtocol, _ name: String = "user") async throws -> TestAccount {
        let response = try await AuthRoutesTests.signUp(client, email: "\(name)-\(UUID().uuidString.prefix(8))@example.com")
        let body = try json(response.body)
        let user = try #require(body["user"] as? [String: Any])
        return TestAccount(
            id: try #require(user["id"] as? String), token: try #require(body["token"] as? String),
            cookie: try AuthRoutesTests.cookiePair(response)
        )
    }
}

@Suite struct TaskRoutesTests {
    static func body(_ object: [String: Any?]) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object.mapValues { $0 ?? NSNull() }))
    }

    static func errorOf(_ response: TestResponse) throws -> [String: Any] {
        try #require(try json(response.body)["error"] as? [String: Any])
    }

    @Test(arguments: StoreKind.available)
    func withoutASessionEveryTaskRouteIs401(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            for (uri, method) in [("/api/tasks", HTTPRequest.Method.get), ("/api/tasks", .post), ("/api/tasks/1", .delete), ("/api/x/tasks", .get)] {
                try await client.execute(uri: uri, method: method) { response in
                    #expect(response.status == .unauthorized, "\(method) \(uri)")
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    let code = try Self.errorOf(response)["code"] as? String
                    #expect(code == "UNAUTHORIZED")
                }
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func aReminderIsSetMovedAndClearedAndRefusedWhenItCannotBe(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let ada = try await TestAccount.create(client, "remind")
            for (body, field) in [
                (["title": "x", "remind_before_minutes": 30] as [String: Any?], "remind_before_minutes"),
                (["title": "x", "due_at": "2030-01-01T09:00:00Z", "remind_before_minutes": 0], "remind_before_minutes"),
                (["title": "x", "due_at": "2030-01-01T09:00:00Z", "remind_before_minutes": 40_321], "remind_before_minutes"),
                (["title": "x", "remind_at": "tomorrow"], "remind_at"),
                (["title": "x", "due_at": "2030-01-01T09:00:00Z", "remind_at": "2030-01-01T08:00:00Z", "remind_before_minutes": 5], "remind_at"),
            ] {
                let refused = try await client.execute(uri: "/api/tasks", method: .post, headers: ada.bearer, body: Self.body(body))
                #expect(refused.status == .unprocessableContent, "\(body)")
                #expect(((try json(refused.body)["error"] as? [String: Any])?["field"] as? String) == field, "\(body)")
            }
            let typo = try await client.execute(uri: "/api/tasks", method: .post, headers: ada.bearer, body: Self.body(["title": "x", "remind_before_minutes": "soon"]))
            #expect(typo.status == .badRequest)
            let listed = try json(try await client.execute(uri: "/api/tasks", method: .get, headers: ada.bearer).body)
            #expect((listed["tasks"] as? [Any])?.isEmpty == true, "nothing refused was stored")

            let created = try json(try await client.execute(
                uri: "/api/tasks", method: .post, headers: ada.bearer,
                body: Self.body(["title": "Dentist", "due_at": "2030-01-01T09:00:00Z", "remind_before_minutes": 60])
            ).body)
            let id = try #require(created["id"] as? Int)
            #expect(created["reminder_at"] as? String == "2030-01-01T08:00:00.000Z")
            #expect(created["reminded_at"] == nil)
            let moved = try json(try await client.execute(
                uri: "/api/tasks/\(id)", method: .patch, headers: ada.bearer, body: Self.body(["due_at": "2030-01-02T09:00:00Z"])
            ).body)
            #expect(moved["reminder_at"] as? String == "2030-01-02T08:00:00.000Z", "the offset follows the due date")
            let absolute = try json(try await client.execute(
                uri: "/api/tasks/\(id)", method: .patch, headers: ada.bearer, body: Self.body(["remind_at": "2030-01-01T20:00:00+01:00"])
            ).body)
            #expect(absolute["remind_at"] as? String == "2030-01-01T19:00:00.000Z")
            #expect(absolute["remind_before_minutes"] == nil, "one reminder a task")
            let cleared = try json(try await client.execute(
                uri: "/api/tasks/\(id)", method: .patch, headers: ada.bearer, body: Self.body(["remind_at": nil])
            ).body)
            #expect(cleared["remind_at"] == nil && cleared["reminder_at"] == nil)
        }
    }

    @Test(arguments: StoreKind.available)
    func aTaskGoesThroughItsWholeLife(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let ada = try await TestAccount.create(client, "ada")
            let created = try await client.execute(
                uri: "/api/tasks", method: .post, headers: ada.bearer,
                body: Self.body(["title": " Buy milk ", "priority": "high", "tags": ["home"], "due_at": "2026-12-01T09:00:00+01:00"])
            )
            #expect(created.status == .created)
            let task = try json(created.body)
            let id = try #require(task["id"] as? Int)
            #expect(created.headers[.location] == "/api/tasks/\(id)")
            #expect(task["title"] as? String == "Buy milk")
            #expect(task["due_at"] as? String == "2026-12-01T08:00:00.000Z")
            #expect(task["completed"] as? Bool == false)

            try await client.execute(uri: "/api/tasks?status=pending&tag=home", method: .get, headers: ada.bearer) { response in
                let tasks = try #require(try json(response.body)["tasks"] as? [[String: Any]])
                #expect(tasks.map { $0["id"] as? Int } == [id])
            }
            try await client.execute(uri: "/api/tasks/\(id)", method: .patch, headers: ada.bearer, body: Self.body(["due_at": nil, "description": "2 litres"])) { response in
                let patched = try json(response.body)
                #expect(patched["due_at"] == nil)
                #expect(patched["description"] as? String == "2 litres")
                #expect(patched["priority"] as? String == "high")
            }
            try await client.execute(uri: "/api/tasks/\(id)", method: .put, headers: ada.bearer, body: Self.body(["title": "Buy oat milk"])) { response in
                let replaced = try json(response.body)
                #expect(replaced["title"] as? String == "Buy oat milk")
                #expect(replaced["priority"] as? String == "medium", "PUT resets absent fields")
                #expect(replaced["tags"] as? [String] == [])
            }
            try await client.execute(uri: "/api/tasks/\(id)/complete", method: .patch, headers: ada.bearer) { response in
                let completed = try json(response.body)["completed"] as? Bool
                #expect(completed == true, "toggled on")
            }
            try await client.execute(uri: "/api/tasks/\(id)/complete", method: .patch, headers: ada.bearer, body: Self.body(["completed": true])) { response in
                let completed = try json(response.body)["completed"] as? Bool
                #expect(completed == true, "set, not toggled")
            }
            try await client.execute(uri: "/api/tasks/\(id)/complete", method: .patch, headers: ada.bearer) { response in
                let completed = try json(response.body)["completed"] as? Bool
                #expect(completed == false, "toggled off")
            }
            try await client.execute(uri: "/api/tasks/\(id)", method: .delete, headers: ada.bearer) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/tasks/\(id)", method: .get, headers: ada.bearer) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func listingsArePagedWithAnOpaqueCursor(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let ada = try await TestAccount.create(client)
            for title in ["one", "two", "three"] {
                _ = try await client.execute(uri: "/api/tasks", method: .post, headers: ada.bearer, body: Self.body(["title": title]))
            }
            let first = try json(try await client.execute(uri: "/api/tasks?limit=2&sort=title", method: .get, headers: ada.bearer).body)
            #expect((first["tasks"] as? [[String: Any]])?.map { $0["title"] as? String } == ["one", "three"])
            let cursor = try #require(first["next_cursor"] as? String)
            let second = try json(
                try await client.execute(uri: "/api/tasks?limit=2&sort=title&cursor=\(cursor)", method: .get, headers: ada.bearer).body
            )
            #expect((second["tasks"] as? [[String: Any]])?.map { $0["title"] as? String } == ["two"])
            #expect(second["next_cursor"] is NSNull, "the last page says so")
            let mixed = try await client.execute(uri: "/api/tasks?limit=2&sort=due&cursor=\(cursor)", method: .get, headers: ada.bearer)
            #expect(mixed.status == .unprocessableContent)
            let forged = try await client.execute(uri: "/api/tasks?cursor=forged", method: .get, headers: ada.bearer)
            #expect(try Self.errorOf(forged)["field"] as? String == "cursor")
        }
    }

    @Test(arguments: StoreKind.available)
    func completingARecurringTaskReturnsTheNextOccurrence(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let ada = try await TestAccount.create(client)
            let created = try await client.execute(
                uri: "/api/tasks", method: .post, headers: ada.bearer,
                body: Self.body(["title": "Water plants", "recurrence": "weekly", "due_at": "2026-12-01T09:00:00Z"])
            )
            let id = try #require(try json(created.body)["id"] as? Int)
            try await client.execute(uri: "/api/tasks/\(id)/complete", method: .patch, headers: ada.bearer) { response in
                let body = try json(response.body)
                let next = try #require(body["next_occurrence"] as? [String: Any])
                #expect(next["due_at"] as? String == "2026-12-08T09:00:00.000Z")
                #expect(next["completed"] as? Bool == false)
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func anotherUsersTaskIsNotFoundOnEveryRoute(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let ada = try await TestAccount.create(client, "ada")
            let eve = try await TestAccount.create(client, "eve")
            let created = try await client.execute(uri: "/api/tasks", method: .post, headers: ada.bearer, body: Self.body(["title": "Ada's secret"]))
            let id = try #require(try json(created.body)["id"] as? Int)
            let attempts: [(String, HTTPRequest.Method, ByteBuffer?)] = [
                ("/api/tasks/\(id)", .get, nil), ("/api/tasks/\(id)", .put, Self.body(["title": "pwned"])),
                ("/api/tasks/\(id)", .patch, Self.body(["title": "pwned"])), ("/api/tasks/\(id)/complete", .patch, nil),
                ("/api/tasks/\(id)", .delete, nil), ("/api/\(eve.id)/tasks/\(id)", .get, nil),
            ]
            for (uri, method, body) in attempts {
                try await client.execute(uri: uri, method: method, headers: eve.bearer, body: body) { response in
                    #expect(response.status == .notFound, "\(method) \(uri)")
                    #expect(!String(buffer: response.body).contains("secret"))
                }
            }
            try await client.execute(uri: "/api/tasks", method: .get, headers: eve.bearer) { response in
                let noTasks = (try json(response.body)["tasks"] as? [Any])?.isEmpty
                #expect(noTasks == true)
            }
            try await client.execute(uri: "/api/\(ada.id)/tasks", method: .get, headers: eve.bearer) { response in
                #expect(response.status == .forbidden, "another user's id in the original spec's path")
            }
            try await client.execute(uri: "/api/\(ada.id)/tasks", method: .get, headers: ada.bearer) { response in
                let tasks = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [[String: Any]]
                #expect(tasks?.first?["title"] as? String == "Ada's secret", "the original spec's bare array")
                #expect(tasks?.first?["completed"] as? Bool == false)
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func cookieAuthenticatedChangesNeedATrustedOrigin(kind: StoreKind) async throws {
        try await withAPI(try kind.location(), configure: {
            $0.auth.publicURL = "http://localhost:3000"
            $0.trustedOrigins = ["https://app.example.com"]
        }) { client in
            let ada = try await TestAccount.create(client)
            let post = { (headers: HTTPFields) in
                try await client.execute(uri: "/api/tasks", method: .post, headers: headers, body: Self.body(["title": "t"])).status
            }
            let cookie: HTTPFields = [.cookie: ada.cookie, .contentType: "application/json"]
            let noOrigin = try await post(cookie)
            #expect(noOrigin == .forbidden, "no Origin")
            let foreignOrigin = try await post(cookie + [.origin: "https://evil.example"])
            #expect(foreignOrigin == .forbidden)
            let nullOrigin = try await post(cookie + [.origin: "null"])
            #expect(nullOrigin == .forbidden)
            let ownOrigin = try await post(cookie + [.origin: "http://localhost:3000"])
            #expect(ownOrigin == .created)
            let trustedOrigin = try await post(cookie + [.origin: "https://app.example.com"])
            #expect(trustedOrigin == .created)
            let ownReferer = try await post(cookie + [.referer: "http://localhost:3000/chat"])
            #expect(ownReferer == .created)
            let bearerOnly = try await post(ada.bearer)
            #expect(bearerOnly == .created, "a bearer token is not a CSRF risk")
            try await client.execute(uri: "/api/tasks", method: .get, headers: [.cookie: ada.cookie]) { response in
                #expect(response.status == .ok, "reads need no Origin")
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func badInputGetsAPreciseStatusAndLosesNothing(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let ada = try await TestAccount.create(client)
            let cases: [(String, HTTPRequest.Method, HTTPFields, ByteBuffer?, HTTPResponse.Status, String?)] = [
                ("/api/tasks", .post, ada.bearer, Self.body(["title": "   "]), .unprocessableContent, "title"),
                ("/api/tasks", .post, ada.bearer, Self.body(["description": "no title"]), .unprocessableContent, "title"),
                ("/api/tasks", .post, ada.bearer, Self.body(["title": "t", "priority": "urgent"]), .unprocessableContent, "priority"),
                ("/api/tasks", .post, ada.bearer, Self.body(["title": "t", "due_at": "2026-12-01 09:00"]), .unprocessableContent, "due_at"),
                ("/api/tasks", .post, ada.bearer, Self.body(["title": "t", "tags": (0..<11).map { "t\($0)" }]), .unprocessableContent, "tags"),
                // 150 characters to Swift, 300 code points to the database: refused here, not by its CHECK (a 500).
                ("/api/tasks", .post, ada.bearer, Self.body(["title": String(repeating: "👍🏽", count: 150)]), .unprocessableContent, "title"),
                ("/api/tasks", .post, ada.bearer, Self.body(["title": "t", "description": String(repeating: "e\u{301}", count: 501)]), .unprocessableContent, "description"),
                ("/api/tasks", .post, ada.bearer, ByteBuffer(string: "{\"title\":"), .badRequest, nil),
                ("/api/tasks", .post, [.authorization: "Bearer \(ada.token)", .contentType: "text/plain"], ByteBuffer(string: "hi"), .unsupportedMediaType, nil),
                ("/api/tasks", .post, ada.bearer, ByteBuffer(string: "{\"title\":\"" + String(repeating: "x", count: 70_000) + "\"}"), .contentTooLarge, nil),
                ("/api/tasks?status=done", .get, ada.bearer, nil, .unprocessableContent, "status"),
                ("/api/tasks?limit=500", .get, ada.bearer, nil, .unprocessableContent, "limit"),
                ("/api/tasks?due_before=tomorrow", .get, ada.bearer, nil, .unprocessableContent, "due_before"),
                ("/api/tasks/abc", .get, ada.bearer, nil, .unprocessableContent, "id"),
                ("/api/tasks/999999", .get, ada.bearer, nil, .notFound, nil),
            ]
            for (uri, method, headers, body, status, field) in cases {
                try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                    #expect(response.status == status, "\(method) \(uri)")
                    let error = try Self.errorOf(response)
                    #expect(error["code"] as? String != nil)
                    #expect(error["field"] as? String == field, "\(method) \(uri)")
                }
            }
            try await client.execute(uri: "/api/tasks", method: .get, headers: ada.bearer) { response in
                let nothingSaved = (try json(response.body)["tasks"] as? [Any])?.isEmpty
                #expect(nothingSaved == true, "nothing half-written")
            }
        }
    }

    /// The task panel's undo: a deleted task comes back with its id through the API; nobody else can bring it back.
    @Test(arguments: StoreKind.available)
    func aDeletedTaskIsRestoredByItsOwnerOnly(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let ada = try await TestAccount.create(client, "restore")
            let eve = try await TestAccount.create(client, "restore-eve")
            let created = try json(try await client.execute(
                uri: "/api/tasks", method: .post, headers: ada.bearer, body: Self.body(["title": "Water plants", "tags": ["home"]])
            ).body)
            let id = try #require(created["id"] as? Int)
            #expect(try await client.execute(uri: "/api/tasks/\(id)", method: .delete, headers: ada.bearer).status == .noContent)
            #expect(try await client.execute(uri: "/api/tasks/\(id)", method: .get, headers: ada.bearer).status == .notFound)
            let foreign = try await client.execute(uri: "/api/tasks/\(id)/restore", method: .post, headers: eve.bearer)
            #expect(foreign.status == .notFound)
            let restored = try await client.execute(uri: "/api/tasks/\(id)/restore", method: .post, headers: ada.bearer)
            #expect(restored.status == .ok)
            let task = try json(restored.body)
            #expect(task["id"] as? Int == id)
            #expect(task["title"] as? String == "Water plants")
            #expect(task["tags"] as? [String] == ["home"])
            #expect(try await client.execute(uri: "/api/tasks/\(id)", method: .get, headers: ada.bearer).status == .ok)
            #expect(try await client.execute(uri: "/api/tasks/\(id)/restore", method: .post, headers: ada.bearer).status == .notFound, "only a deleted task")
            #expect(try await client.execute(uri: "/api/\(ada.id)/tasks/\(id)/restore", method: .post, headers: ada.bearer).status == .notFound)
            #expect(try await client.execute(uri: "/api/tasks/\(id)/restore", method: .post).status == .unauthorized)
        }
    }
}
