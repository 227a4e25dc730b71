import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import TodoAPI
import TodoAuth
import TodoCore
import TodoTestSupport

@Suite struct AuthRoutesTests {
    static func body(_ object: [String: String]) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    static func signUp(_ client: some TestClientProtocol, email: String, password: String = "correct horse") async throws -> TestResponse {
        try await client.execute(
            uri: "/api/auth/sign-up/email", method: .post, headers: jsonHeaders,
            body: body(["name": "Ada Lovelace", "email": email, "password": password])
        )
    }

    /// An address no other test (or earlier run on the shared PostgreSQL database) uses.
    static func uniqueEmail(_ name: String = "ada") -> String {
        "\(name)-\(UUID().uuidString.prefix(8).lowercased())@example.com"
    }

    static func cookiePair(_ response: TestResponse) throws -> String {
        let setCookie = try #require(response.headers[.setCookie])
        return String(setCookie.split(separator: ";")[0])
    }

    @Test func aRotatedSecretKeepsOldCookiesUntilItIsRemoved() async throws {
        let location = DatabaseLocation.sqliteFile(path: TestFiles.temporaryPath("rotation.sqlite"))
        let newer = "rotated-secret-0123456789-abcdefghijkl"
        let cookie = Mutex("")
        try await withAPI(location, secrets: [testSecret]) { client in
            let response = try await Self.signUp(client, email: Self.uniqueEmail())
            let pair = try Self.cookiePair(response)
            cookie.withLock { $0 = pair }
        }
        let old = cookie.withLock { $0 }
        try await withAPI(location, secrets: [newer, testSecret]) { client in
            let session = try await client.execute(uri: "/api/auth/get-session", method: .get, headers: [.cookie: old])
            #expect(String(buffer: session.body).contains("\"user\""), "the cookie signed with the previous secret still works")
            let fresh = try await Self.signUp(client, email: Self.uniqueEmail())
            let value = String(try Self.cookiePair(fresh).dropFirst("better-auth.session_token=".count))
            #expect(SignedCookie.verify(value, secrets: [newer]) != nil, "new cookies are signed with the newest secret")
        }
        try await withAPI(location, secrets: [newer]) { client in
            let session = try await client.execute(uri: "/api/auth/get-session", method: .get, headers: [.cookie: old])
            #expect(String(buffer: session.body) == "null", "a removed secret's cookies stop working")
        }
    }

    @Test(arguments: StoreKind.available)
    func signUpReturnsBetterAuthsShapeAndASignedCookie(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let email = "\(UUID().uuidString.lowercased())@example.com"
            let response = try await Self.signUp(client, email: email.uppercased())
            #expect(response.status == .ok)
            let body = try json(response.body)
            let token = try #require(body["token"] as? String)
            let user = try #require(body["user"] as? [String: Any])
            #expect(user["email"] as? String == email)
            #expect(user["name"] as? String == "Ada Lovelace")
            #expect(user["emailVerified"] as? Bool == false)
            #expect((user["createdAt"] as? String).flatMap(Timestamp.parse) != nil)
            #expect(user["image"] is NSNull, "a missing image is null, as Better Auth sends it")
            let session = try json(try await client.execute(uri: "/api/auth/get-session", method: .get, headers: [.authorization: "Bearer \(token)"]).body)
            #expect((session["session"] as? [String: Any])?.keys.contains("ipAddress") == true)
            #expect((session["session"] as? [String: Any])?.keys.contains("userAgent") == true, "null, not left out")
            let setCookie = try #require(response.headers[.setCookie])
            #expect(setCookie.hasPrefix("better-auth.session_token="))
            #expect(setCookie.hasSuffix("; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax"))
            let value = String(try Self.cookiePair(response).dropFirst("better-auth.session_token=".count))
            #expect(SignedCookie.verify(value, secrets: [testSecret]) == token)
        }
    }

    @Test(arguments: StoreKind.available)
    func getSessionAcceptsCookieBearerAndSignedBearer(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let ada = Self.uniqueEmail()
            let signedUp = try await Self.signUp(client, email: ada)
            let token = try #require(try json(signedUp.body)["token"] as? String)
            let cookie = try Self.cookiePair(signedUp)
            let signed = String(cookie.dropFirst("better-auth.session_token=".count))
            for headers: HTTPFields in [[.cookie: "theme=dark; " + cookie], [.authorization: "Bearer \(token)"], [.authorization: "Bearer \(signed)"]] {
                try await client.execute(uri: "/api/auth/get-session", method: .get, headers: headers) { response in
                    let body = try json(response.body)
                    let session = try #require(body["session"] as? [String: Any], "\(headers)")
                    #expect(session["token"] as? String == token)
                    #expect((body["user"] as? [String: Any])?["email"] as? String == ada)
                }
            }
            let tampered = cookie.replacingOccurrences(of: "=", with: "=x", options: [], range: cookie.range(of: "="))
            for headers: HTTPFields in [[:], [.cookie: tampered], [.authorization: "Bearer nope"], [.authorization: "Bearer \(token).forged"]] {
                try await client.execute(uri: "/api/auth/get-session", method: .get, headers: headers) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == "null", "\(headers)")
                }
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func wrongPasswordAndUnknownEmailGiveTheSame401(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let ada = Self.uniqueEmail()
            _ = try await Self.signUp(client, email: ada)
            for (email, password) in [(ada, "wrong horse"), (Self.uniqueEmail("nobody"), "correct horse")] {
                try await client.execute(
                    uri: "/api/auth/sign-in/email", method: .post, headers: Self.jsonHeaders,
                    body: Self.body(["email": email, "password": password])
                ) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.setCookie] == nil)
                    let error = try #require(try json(response.body)["error"] as? [String: Any])
                    #expect(error["code"] as? String == "INVALID_EMAIL_OR_PASSWORD")
                }
            }
            try await client.execute(
                uri: "/api/auth/sign-in/email", method: .post, headers: Self.jsonHeaders,
                body: Self.body(["email": ada.uppercased(), "password": "correct horse"])
            ) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["redirect"] as? Bool == false)
                #expect((body["token"] as? String)?.count == 32)
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func duplicatesAndBadInputAreRejectedClearly(kind: StoreKind) async throws {
        try await withAPI(try kind.location()) { client in
            let ada = Self.uniqueEmail()
            _ = try await Self.signUp(client, email: ada)
            // Better Auth's statuses, codes and words, flat at the top where better-fetch reads them.
            let duplicate = try await Self.signUp(client, email: " \(ada.capitalized) ")
            #expect(duplicate.status == .unprocessableContent)
            let duplicateBody = try json(duplicate.body)
            #expect(duplicateBody["code"] as? String == "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL")
            #expect(duplicateBody["message"] as? String == "User already exists. Use another email.")
            #expect((duplicateBody["error"] as? [String: Any])?["code"] as? String == "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL")
            for (password, code, message) in [("short", "PASSWORD_TOO_SHORT", "Password too short"), (String(repeating: "p", count: 129), "PASSWORD_TOO_LONG", "Password too long")] {
                let refused = try await Self.signUp(client, email: Self.uniqueEmail("bob"), password: password)
                #expect(refused.status == .badRequest)
                let body = try json(refused.body)
                #expect(body["code"] as? String == code && body["message"] as? String == message)
                #expect((body["error"] as? [String: Any])?["field"] as? String == "password")
            }
            for email in ["not-an-email", "a@b"] {
                let refused = try await Self.signUp(client, email: email)
                #expect(refused.status == .badRequest)
                #expect(try json(refused.body)["code"] as? String == "INVALID_EMAIL")
            }
            let wrong = try await client.execute(
                uri: "/api/auth/sign-in/email", method: .post, headers: Self.jsonHeaders,
                body: ByteBuffer(string: #"{"email":"\#(ada)","password":"wrong password!"}"#)
            )
            #expect(wrong.status == .unauthorized)
            #expect(try json(wrong.body)["code"] as? String == "INVALID_EMAIL_OR_PASSWORD")
            #expect(try json(wrong.body)["message"] as? String == "Invalid email or password")
            try await client.execute(
                uri: "/api/auth/sign-up/email", method: .post, headers: Self.jsonHeaders, body: ByteBuffer(string: "{not json")
            ) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func signOutDeletesTheSessionAndClearsTheCookie(kind: StoreKind) async throws {
        try await withAPI(try kind.location(), configure: { $0.auth.publicURL = "http://localhost:3000" }) { client in
            let cookie = try Self.cookiePair(try await Self.signUp(client, email: Self.uniqueEmail()))
            try await client.execute(
                uri: "/api/auth/sign-out", method: .post, headers: [.cookie: cookie, .origin: "https://evil.example"]
            ) { response in
                #expect(response.status == .forbidden, "another site cannot sign the browser out")
            }
            try await client.execute(
                uri: "/api/auth/sign-out", method: .post, headers: [.cookie: cookie, .origin: "http://localhost:3000"]
            ) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["success"] as? Bool == true)
                let cleared = response.headers[values: .setCookie]
                #expect(cleared.map { String($0.split(separator: "=")[0]) }.sorted()
                    == ["better-auth.dont_remember", "better-auth.session_data", "better-auth.session_token"], "every Better Auth cookie goes")
                #expect(cleared.allSatisfy { $0.contains("Max-Age=0") })
            }
            try await client.execute(uri: "/api/auth/get-session", method: .get, headers: [.cookie: cookie]) { response in
                #expect(String(buffer: response.body) == "null", "the old cookie no longer works")
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func anHTTPSPublicURLMakesTheCookieSecure(kind: StoreKind) async throws {
        try await withAPI(try kind.location(), configure: { $0.auth.publicURL = "https://todo.example.com" }) { client in
            let response = try await Self.signUp(client, email: Self.uniqueEmail())
            let setCookie = try #require(response.headers[.setCookie])
            #expect(setCookie.hasPrefix("__Secure-better-auth.session_token="))
            #expect(setCookie.hasSuffix("; Secure"))
        }
    }
}

@Suite struct TokenRoutesTests {
    @Test(arguments: StoreKind.available)
    func aSessionBuysAJWTThatOpensTheTaskAPI(kind: StoreKind) async throws {
        try await withAPI(try kind.location(), configure: { $0.auth.publicURL = "http://localhost:3000" }) { client in
            let ada = try await TestAccount.create(client)
            try await client.execute(uri: "/api/auth/token", method: .get) { response in
                #expect(response.status == .unauthorized, "no session, no token")
            }
            let issued = try await client.execute(uri: "/api/auth/token", method: .get, headers: [.cookie: ada.cookie])
            let jwt = try #require(try json(issued.body)["token"] as? String)
            #expect(jwt.split(separator: ".").count == 3)
            let bearer: HTTPFields = [.authorization: "Bearer \(jwt)", .contentType: "application/json"]
            let created = try await client.execute(
                uri: "/api/tasks", method: .post, headers: bearer, body: ByteBuffer(string: #"{"title":"via JWT"}"#)
            )
            #expect(created.status == .created, "a JWT needs no Origin: browsers never send it on their own")
            #expect(try json(created.body)["user_id"] as? String == ada.id)
            try await client.execute(uri: "/api/tasks", method: .get, headers: [.authorization: "Bearer \(jwt)x"]) { response in
                #expect(response.status == .unauthorized, "a tampered JWT")
            }
            try await client.execute(uri: "/api/auth/jwks", method: .get) { response in
                #expect(response.status == .ok)
                let keys = try #require(try json(response.body)["keys"] as? [[String: Any]])
                // A shared database may hold older keys too; ours must be among them.
                var header = String(jwt.split(separator: ".")[0]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                header += String(repeating: "=", count: (4 - header.count % 4) % 4)
                let kid = try JSONSerialization.jsonObject(with: try #require(Data(base64Encoded: header))) as? [String: Any]
                #expect(keys.contains { $0["kid"] as? String == kid?["kid"] as? String })
            }
            try await client.execute(uri: "/api/auth/get-session", method: .get, headers: [.authorization: "Bearer \(jwt)"]) { response in
                #expect(String(buffer: response.body) == "null", "a JWT is not a session")
            }
        }
    }
}

@Suite(.heavy) struct RateLimitTests {
    @Test(arguments: StoreKind.available)
    func passwordGuessingIsLimitedPerAddressAndPerAccount(kind: StoreKind) async throws {
        // A frozen clock: on a busy machine sign-ins can take seconds, and a refilled token would let the fourth through.
        // A live server, so the peer is loopback, which TRUSTED_PROXIES trusts by default, as it trusts serve-web.
        let frozen = Date()
        try await withAPI(try kind.location(), mode: .live, now: { frozen }, configure: { $0.authRateLimitPerMinute = 3 }) { client in
            let forwardedFor = HTTPField.Name("X-Forwarded-For")!
            func signIn(_ email: String, from address: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/auth/sign-in/email", method: .post,
                    headers: [.contentType: "application/json", forwardedFor: String(address)],
                    body: ByteBuffer(string: #"{"email":"\#(email)","password":"wrong password"}"#)
                )
            }
            let (ada, bob, net) = (AuthRoutesTests.uniqueEmail("ada"), AuthRoutesTests.uniqueEmail("bob"), UUID().uuidString.prefix(8))
            for _ in 0..<3 { #expect(try await signIn(ada, from: "\(net)-1").status == .unauthorized) }
            let limited = try await signIn(ada, from: "\(net)-1")
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            let error = try #require(try json(limited.body)["error"] as? [String: Any])
            #expect(error["code"] as? String == "TOO_MANY_REQUESTS")
            #expect(try await signIn(ada, from: "\(net)-2").status == .tooManyRequests, "the account is limited too")
            #expect(try await signIn(bob, from: "\(net)-1").status == .tooManyRequests, "and the address")
            #expect(try await signIn(bob, from: "\(net)-3").status == .unauthorized)
        }
    }

    /// A client that is not a trusted proxy cannot choose its address: each made-up `X-Forwarded-For` is ignored.
    /// (SQLite only: the limit key is the loopback address, which parallel tests on a shared database also use.)
    @Test func aSpoofedForwardedForDoesNotEscapeTheLimit() async throws {
        let frozen = Date()
        try await withAPI(.sqliteMemory, mode: .live, now: { frozen }, configure: { settings in
            settings.authRateLimitPerMinute = 3
            settings.trustedProxies = []
        }) { client in
            for attempt in 0..<4 {
                let response = try await client.execute(
                    uri: "/api/auth/sign-in/email", method: .post,
                    headers: [.contentType: "application/json", HTTPField.Name("X-Forwarded-For")!: "203.0.113.\(attempt)"],
                    body: ByteBuffer(string: #"{"email":"\#(AuthRoutesTests.uniqueEmail("spray"))","password":"wrong password"}"#)
                )
                #expect(response.status == (attempt < 3 ? .unauthorized : .tooManyRequests), "attempt \(attempt + 1)")
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func eachUserHasARequestBudget(kind: StoreKind) async throws {
        let frozen = Date()
        try await withAPI(try kind.location(), now: { frozen }, configure: { $0.rateLimitPerMinute = 3 }) { client in
            let ada = try await TestAccount.create(client)
            let eve = try await TestAccount.create(client)
            for _ in 0..<3 { #expect(try await client.execute(uri: "/api/tasks", method: .get, headers: ada.bearer).status == .ok) }
            let limited = try await client.execute(uri: "/api/tasks", method: .get, headers: ada.bearer)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            #expect(try await client.execute(uri: "/api/tasks", method: .get, headers: eve.bearer).status == .ok, "per user")
        }
    }
}

extension AuthRoutesTests {
    /// An active user stays signed in: when a request extends the day-old session, the cookie comes again with the
    /// full lifetime (as Better Auth sends it), on get-session and on any cookie-authenticated route; once.
    @Test func aSessionExtendedByUseRenewsItsCookie() async throws {
        let clock = ManualClock(start: Date())
        try await withAPI(now: clock.now) { client in
            let signedUp = try await Self.signUp(client, email: Self.uniqueEmail())
            let cookie = try Self.cookiePair(signedUp)
            let token = try #require(try json(signedUp.body)["token"] as? String)
            let early = try await client.execute(uri: "/api/auth/get-session", method: .get, headers: [.cookie: cookie])
            #expect(early.headers[.setCookie] == nil, "a fresh session is not renewed")

            clock.advance(by: 86_400 + 60)
            let renewed = try await client.execute(uri: "/api/tasks", method: .get, headers: [.cookie: cookie])
            #expect(renewed.status == .ok)
            let setCookie = try #require(renewed.headers[.setCookie], "the extended session's cookie is sent again")
            #expect(setCookie.hasPrefix(cookie + ";") && setCookie.contains("Max-Age=604800"), "\(setCookie)")
            let again = try await client.execute(uri: "/api/tasks", method: .get, headers: [.cookie: cookie])
            #expect(again.headers[.setCookie] == nil, "only the request that extended it")
            let bearer = try await client.execute(uri: "/api/tasks", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(bearer.headers[.setCookie] == nil, "a bearer client gets no cookie")

            clock.advance(by: 86_400 + 60)
            let session = try await client.execute(uri: "/api/auth/get-session", method: .get, headers: [.cookie: cookie])
            #expect(session.headers[.setCookie]?.contains("Max-Age=604800") == true, "get-session renews it too")
        }
    }

    /// Sign-in's callbackURL, as Better Auth's client sends it: a path or a trusted origin's URL comes back as
    /// `url` with `redirect: true`; anywhere else is 403 before any password is checked.
    @Test func aCallbackURLMustStayOnTrustedGround() async throws {
        try await withAPI(configure: {
            $0.auth.publicURL = "https://todo.example.com"
            $0.trustedOrigins = ["https://app.example.com"]
        }) { client in
            let email = Self.uniqueEmail()
            _ = try await Self.signUp(client, email: email)
            func signIn(_ callback: String?) async throws -> TestResponse {
                var body: [String: String] = ["email": email, "password": "correct horse"]
                if let callback { body["callbackURL"] = callback }
                return try await client.execute(uri: "/api/auth/sign-in/email", method: .post, headers: Self.jsonHeaders, body: Self.body(body))
            }
            let plain = try json(try await signIn(nil).body)
            #expect(plain["redirect"] as? Bool == false && plain["url"] == nil)
            for good in ["/dashboard?tab=today", "https://app.example.com/welcome", "https://todo.example.com/"] {
                let answer = try json(try await signIn(good).body)
                #expect(answer["redirect"] as? Bool == true && answer["url"] as? String == good, "\(good)")
            }
            for bad in ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "https://app.example.com.evil.example/"] {
                let refused = try await signIn(bad)
                #expect(refused.status == .forbidden, "\(bad)")
                #expect(try json(refused.body)["message"] as? String == "Invalid callbackURL")
                #expect(refused.headers[.setCookie] == nil, "no session for a refused sign-in")
            }
        }
    }
}
