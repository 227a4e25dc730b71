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

/// Password reset, email verification and email change on Better Auth's routes. Without `SMTP_URL` the server
/// writes each message's link to its log (the local mode); these tests follow the links from there. The SMTP
/// delivery itself is checked against a real mail server by scripts/mail-flows.sh.
@Suite struct EmailLinkRoutesTests {
    /// The links the server logged for `to`, oldest first.
    static func links(_ recorder: LogRecorder, to address: String) -> [String] {
        recorder.all.filter { $0.message.hasPrefix("no mail server") && $0.metadata["to"] == address }.compactMap { $0.metadata["link"] }
    }

    /// The part of a link after the public origin (`http://localhost:0/api/auth/…` → `/api/auth/…`).
    static func path(of link: String) throws -> String {
        let range = try #require(link.range(of: "/api/auth/"))
        return String(link[range.lowerBound...])
    }

    static func postJSON(_ client: some TestClientProtocol, _ path: String, _ body: String, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/api/auth/\(path)", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test(arguments: StoreKind.available)
    func aResetLinkWorksOnceEndsEverySessionAndTellsNobodyWhichEmailsExist(kind: StoreKind) async throws {
        let recorder = LogRecorder()
        try await withAPI(try kind.location(), recorder: recorder) { client in
            let (email, token) = try await AccountRoutesTests.account(client)
            let unknown = try await Self.postJSON(client, "request-password-reset", #"{"email":"\#(AuthRoutesTests.uniqueEmail("nobody"))"}"#)
            let known = try await Self.postJSON(client, "request-password-reset", #"{"email":"\#(email.uppercased())","redirectTo":"/reset-password"}"#)
            #expect(unknown.status == .ok && known.status == .ok)
            #expect(try json(unknown.body) as NSDictionary == json(known.body) as NSDictionary, "the same answer either way")
            #expect(try json(known.body)["message"] as? String == "If this email exists in our system, check your email for the reset link")
            let link = try #require(Self.links(recorder, to: email).last)
            let resetToken = try #require(link.split(separator: "/").last?.split(separator: "?").first.map(String.init))

            let followed = try await client.execute(uri: try Self.path(of: link), method: .get)
            #expect(followed.status == .found)
            #expect(followed.headers[.location] == "/reset-password?token=\(resetToken)")
            let tooShort = try await Self.postJSON(client, "reset-password", #"{"token":"\#(resetToken)","newPassword":"short"}"#)
            #expect(try tooShort.status == .badRequest && (json(tooShort.body)["code"] as? String) == "PASSWORD_TOO_SHORT")

            // Two requests race with one token: exactly one sets its password.
            async let first = Self.postJSON(client, "reset-password", #"{"token":"\#(resetToken)","newPassword":"new horse one"}"#)
            async let second = Self.postJSON(client, "reset-password", #"{"token":"\#(resetToken)","newPassword":"new horse two"}"#)
            let statuses = try await [first.status, second.status]
            #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .badRequest }.count == 1, "\(statuses)")
            let oneWorks = try await AccountRoutesTests.signIn(client, email, "new horse one").status == .ok
            let twoWorks = try await AccountRoutesTests.signIn(client, email, "new horse two").status == .ok
            #expect(oneWorks != twoWorks)
            #expect(try await AccountRoutesTests.signIn(client, email, "correct horse").status == .unauthorized)
            #expect(try await !AccountRoutesTests.alive(client, token), "a reset ends every session")

            let reused = try await Self.postJSON(client, "reset-password", #"{"token":"\#(resetToken)","newPassword":"third horse"}"#)
            #expect(try reused.status == .badRequest && (json(reused.body)["code"] as? String) == "INVALID_TOKEN")
            #expect(try await client.execute(uri: try Self.path(of: link), method: .get).headers[.location] == "/reset-password?error=INVALID_TOKEN")
            let session = try json(try await AccountRoutesTests.signIn(client, email, oneWorks ? "new horse one" : "new horse two").body)
            #expect((session["user"] as? [String: Any])?["emailVerified"] as? Bool == true, "a followed reset link proves the address")
        }
    }

    @Test(arguments: StoreKind.available)
    func resetLinksExpireAfterAnHourAndRedirectsStayOnTrustedOrigins(kind: StoreKind) async throws {
        let recorder = LogRecorder()
        let clock = ManualClock(start: Date())
        try await withAPI(try kind.location(), recorder: recorder, now: clock.now) { client in
            let (email, _) = try await AccountRoutesTests.account(client)
            for hostile in ["https://evil.example/steal", "//evil.example", "/\t/evil.example", "javascript:alert(1)"] {
                let refused = try await Self.postJSON(client, "request-password-reset", #"{"email":"\#(email)","redirectTo":\#(String(reflecting: hostile))}"#)
                #expect(try refused.status == .forbidden && (json(refused.body)["code"] as? String) == "INVALID_REDIRECT_URL", "\(hostile)")
            }
            #expect(Self.links(recorder, to: email).isEmpty, "a refused redirect sends nothing")
            _ = try await Self.postJSON(client, "forget-password", #"{"email":"\#(email)"}"#)
            let link = try #require(Self.links(recorder, to: email).last)
            #expect(link.contains("callbackURL=%2Freset-password"), "the web app's reset page is the default")
            let resetToken = try #require(link.split(separator: "/").last?.split(separator: "?").first.map(String.init))
            let evil = try await client.execute(uri: "/api/auth/reset-password/\(resetToken)?callbackURL=https%3A%2F%2Fevil.example", method: .get)
            #expect(evil.status == .forbidden, "the token never travels to a foreign site")
            clock.advance(by: 3601)
            let late = try await Self.postJSON(client, "reset-password?token=\(resetToken)", #"{"newPassword":"too late horse"}"#)
            #expect(try late.status == .badRequest && (json(late.body)["code"] as? String) == "INVALID_TOKEN")
            // (No sign-in after the jump: it would move the shared sign-in limit an hour ahead for every other test.)
        }
    }

    @Test(arguments: StoreKind.available)
    func withVerificationRequiredSignInWaitsForTheLink(kind: StoreKind) async throws {
        let recorder = LogRecorder()
        try await withAPI(try kind.location(), recorder: recorder, configure: { $0.requireEmailVerification = true }) { client in
            let email = AuthRoutesTests.uniqueEmail("verify")
            let signedUp = try await Self.postJSON(
                client, "sign-up/email", #"{"name":"Vera","email":"\#(email)","password":"correct horse","callbackURL":"/?verified=1"}"#
            )
            #expect(signedUp.status == .ok && signedUp.headers[.setCookie] == nil)
            #expect(try json(signedUp.body)["token"] is NSNull, "no session before the email is verified")
            let refused = try await AccountRoutesTests.signIn(client, email, "correct horse")
            #expect(try refused.status == .forbidden && (json(refused.body)["code"] as? String) == "EMAIL_NOT_VERIFIED")
            #expect(try await AccountRoutesTests.signIn(client, email, "wrong horse!").status == .unauthorized, "no hint without the password")
            let links = Self.links(recorder, to: email)
            #expect(links.count == 2, "one link on sign-up, a fresh one on the refused sign-in")
            let link = try #require(links.first)
            #expect(link.contains("callbackURL=%2F%3Fverified%3D1"))

            let bad = try await client.execute(uri: "/api/auth/verify-email?token=nope&callbackURL=%2F", method: .get)
            #expect(bad.status == .found && bad.headers[.location] == "/?error=INVALID_TOKEN")
            let badJSON = try await client.execute(uri: "/api/auth/verify-email?token=nope", method: .get)
            #expect(try badJSON.status == .unauthorized && (json(badJSON.body)["code"] as? String) == "INVALID_TOKEN")

            let followed = try await client.execute(uri: try Self.path(of: link), method: .get)
            #expect(followed.status == .found && followed.headers[.location] == "/?verified=1")
            let again = try await client.execute(uri: try Self.path(of: link), method: .get)
            #expect(again.headers[.location] == "/?verified=1", "a mail scanner opening the link first does no harm")
            let signedIn = try await AccountRoutesTests.signIn(client, email, "correct horse")
            #expect(signedIn.status == .ok)
            let token = try #require(try json(signedIn.body)["token"] as? String)
            let verified = try await Self.postJSON(client, "send-verification-email", #"{"email":"\#(email)"}"#, token: token)
            #expect(try verified.status == .badRequest && (json(verified.body)["code"] as? String) == "EMAIL_ALREADY_VERIFIED")
            let mismatch = try await Self.postJSON(client, "send-verification-email", #"{"email":"other@example.com"}"#, token: token)
            #expect(try json(mismatch.body)["code"] as? String == "EMAIL_MISMATCH")
            let anonymous = try await Self.postJSON(client, "send-verification-email", #"{"email":"\#(AuthRoutesTests.uniqueEmail("ghost"))"}"#)
            #expect(try anonymous.status == .ok && (json(anonymous.body)["status"] as? Bool) == true)
        }
    }

    @Test(arguments: StoreKind.available)
    func anEmailChangesOnlyWhenTheNewAddressFollowsItsLink(kind: StoreKind) async throws {
        let recorder = LogRecorder()
        try await withAPI(try kind.location(), recorder: recorder) { client in
            let (email, token) = try await AccountRoutesTests.account(client)
            let (taken, _) = try await AccountRoutesTests.account(client)
            let same = try await Self.postJSON(client, "change-email", #"{"newEmail":"\#(email)"}"#, token: token)
            #expect(try same.status == .badRequest && (json(same.body)["code"] as? String) == "EMAIL_IS_THE_SAME")
            let onTaken = try await Self.postJSON(client, "change-email", #"{"newEmail":"\#(taken)"}"#, token: token)
            #expect(onTaken.status == .ok && Self.links(recorder, to: taken).isEmpty, "same answer, no mail for a taken address")
            #expect(try await Self.postJSON(client, "change-email", #"{"newEmail":"x@example.com"}"#).status == .unauthorized)

            let newEmail = AuthRoutesTests.uniqueEmail("moved")
            let asked = try await Self.postJSON(client, "change-email", #"{"newEmail":"\#(newEmail.uppercased())","callbackURL":"/"}"#, token: token)
            #expect(asked.status == .ok)
            #expect(try await AccountRoutesTests.signIn(client, email, "correct horse").status == .ok, "nothing changes before the link")
            let link = try #require(Self.links(recorder, to: newEmail).last, "the link goes to the new address")
            #expect(try await client.execute(uri: try Self.path(of: link), method: .get).headers[.location] == "/")
            let session = try json(try await client.execute(uri: "/api/auth/get-session", method: .get, headers: [.authorization: "Bearer \(token)"]).body)
            let user = try #require(session["user"] as? [String: Any])
            #expect(user["email"] as? String == newEmail && user["emailVerified"] as? Bool == true)
            #expect(try await AccountRoutesTests.signIn(client, newEmail, "correct horse").status == .ok)
            #expect(try await AccountRoutesTests.signIn(client, email, "correct horse").status == .unauthorized)
            #expect(try await client.execute(uri: try Self.path(of: link), method: .get).headers[.location] == "/?error=INVALID_TOKEN", "a change link works once")

            // The new address is taken by someone else before the link is followed: the email stays, the browser is told.
            let contested = AuthRoutesTests.uniqueEmail("contested")
            #expect(try await Self.postJSON(client, "change-email", #"{"newEmail":"\#(contested)","callbackURL":"/"}"#, token: token).status == .ok)
            let contestedLink = try #require(Self.links(recorder, to: contested).last)
            #expect(try await AuthRoutesTests.signUp(client, email: contested).status == .ok)
            let refused = try await client.execute(uri: try Self.path(of: contestedLink), method: .get)
            #expect(refused.status == .found && refused.headers[.location] == "/?error=USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL")
            #expect(try await AccountRoutesTests.signIn(client, newEmail, "correct horse").status == .ok, "the email stayed as it was")
        }
    }

    @Test func mailRoutesAreLimitedPerAddressAsBetterAuthLimitsThem() async throws {
        let recorder = LogRecorder()
        try await withAPI(.sqliteMemory, recorder: recorder, configure: { $0.mailRateLimitPerMinute = 3 }) { client in
            let (email, _) = try await AccountRoutesTests.account(client)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<4 { statuses.append(try await Self.postJSON(client, "request-password-reset", #"{"email":"\#(email)"}"#).status) }
            #expect(statuses == [.ok, .ok, .ok, .tooManyRequests])
            #expect(Self.links(recorder, to: email).count == 3)
        }
    }

    @Test func signInTakesThreeAttemptsPerTenSecondsPerAddressAsBetterAuthAllows() async throws {
        let clock = ManualClock(start: Date())
        try await withAPI(.sqliteMemory, now: clock.now, configure: { $0.authRateLimitPer10s = 3 }) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<4 { statuses.append(try await AccountRoutesTests.signIn(client, "nobody@example.com", "wrong horse").status) }
            #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests])
            let email = AuthRoutesTests.uniqueEmail("other-route")
            let signedUp = try await Self.postJSON(client, "sign-up/email", #"{"name":"O","email":"\#(email)","password":"correct horse"}"#)
            #expect(signedUp.status == .ok, "each route has its own count, as in Better Auth")
            clock.advance(by: 10)
            #expect(try await AccountRoutesTests.signIn(client, email, "correct horse").status == .ok, "ten seconds later sign-in works again")
        }
    }

    @Test(arguments: StoreKind.available)
    func aSessionNotToBeRememberedLastsADayAndBearerClientsGetTheirHeaders(kind: StoreKind) async throws {
        let clock = ManualClock(start: Date())
        try await withAPI(try kind.location(), now: clock.now) { client in
            let (email, _) = try await AccountRoutesTests.account(client)
            let signedIn = try await Self.postJSON(client, "sign-in/email", #"{"email":"\#(email)","password":"correct horse","rememberMe":false}"#)
            let cookies = signedIn.headers[values: .setCookie]
            #expect(cookies.count == 2)
            #expect(cookies.first?.hasPrefix("better-auth.session_token=") == true && cookies.first?.contains("Max-Age") == false, "\(cookies)")
            #expect(cookies.last?.hasPrefix("better-auth.dont_remember=true.") == true)
            let signed = try #require(signedIn.headers[HTTPField.Name("set-auth-token")!])
            #expect(cookies.first?.hasPrefix("better-auth.session_token=\(signed);") == true, "set-auth-token is the signed cookie value")
            let session = try json(try await client.execute(uri: "/api/auth/get-session", method: .get, headers: [.authorization: "Bearer \(signed)"]).body)
            let expires = try #require((session["session"] as? [String: Any])?["expiresAt"] as? String)
            let created = try #require((session["session"] as? [String: Any])?["createdAt"] as? String)
            let lifetime = try #require(Timestamp.parse(expires)).timeIntervalSince(try #require(Timestamp.parse(created)))
            #expect(abs(lifetime - 86_400) < 120, "one day, not seven: \(lifetime)")

            clock.advance(by: 86_400 - 600)
            let late = try await client.execute(uri: "/api/auth/get-session", method: .get, headers: [.authorization: "Bearer \(signed)"])
            #expect(late.headers[.setCookie] == nil, "never extended")
            let jwt = try #require(late.headers[HTTPField.Name("set-auth-jwt")!])
            #expect(try await client.execute(uri: "/api/tasks", method: .get, headers: [.authorization: "Bearer \(jwt)"]).status == .ok)
            clock.advance(by: 1200)
            #expect(try await !AccountRoutesTests.alive(client, signed), "gone after its day")
        }
    }

    @Test(arguments: StoreKind.available)
    func aSignUpNotToBeRememberedLastsADayToo(kind: StoreKind) async throws {
        let clock = ManualClock(start: Date())
        try await withAPI(try kind.location(), now: clock.now) { client in
            let email = "forgetful-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let signedUp = try await Self.postJSON(
                client, "sign-up/email", #"{"name":"Forgetful","email":"\#(email)","password":"correct horse","rememberMe":false}"#
            )
            #expect(signedUp.status == .ok)
            let cookies = signedUp.headers[values: .setCookie]
            #expect(cookies.first?.contains("Max-Age") == false, "a browser-session cookie: \(cookies)")
            let token = try #require(signedUp.headers[HTTPField.Name("set-auth-token")!])
            let session = try json(try await client.execute(uri: "/api/auth/get-session", method: .get, headers: [.authorization: "Bearer \(token)"]).body)
            let expires = try #require((session["session"] as? [String: Any])?["expiresAt"] as? String)
            let created = try #require((session["session"] as? [String: Any])?["createdAt"] as? String)
            let lifetime = try #require(Timestamp.parse(expires)).timeIntervalSince(try #require(Timestamp.parse(created)))
            #expect(abs(lifetime - 86_400) < 120, "the stored session lasts one day, like the cookie: \(lifetime)")
            clock.advance(by: 86_400 + 600)
            #expect(try await !AccountRoutesTests.alive(client, token), "gone after its day")
        }
    }
}
