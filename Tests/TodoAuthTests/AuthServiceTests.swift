import Foundation
import Testing
import TodoAuth
import TodoCore
import TodoStorage
import TodoTestSupport

@Suite struct AuthServiceTests {
    static func email() -> String { "\(UUID().uuidString.lowercased())@example.com" }

    @Test(arguments: StoreKind.available)
    func signUpCreatesTheAccountAndASession(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let auth = AuthService(store: store, hasher: cheapHasher)
            let email = Self.email()
            let signedUp = try await auth.signUp(name: " Ada ", email: "  \(email.uppercased()) ", password: "correct horse", ipAddress: "10.1.2.3", userAgent: "curl/8")
            #expect(signedUp.user.name == "Ada")
            #expect(signedUp.user.email == email)
            #expect(signedUp.session.token.count == 32)
            #expect(signedUp.session.ipAddress == "10.1.2.3")
            #expect(signedUp.session.expiresAt.timeIntervalSince(signedUp.session.createdAt) > 6.9 * 24 * 3600)
            let credential = try #require(try await store.credential(email: email))
            #expect(try await cheapHasher.verify("correct horse", against: credential.passwordHash))
            #expect(try await auth.authenticate(token: signedUp.session.token)?.user == signedUp.user)
        }
    }

    @Test(arguments: StoreKind.available)
    func invalidSignUpsLeaveNoAccount(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let auth = AuthService(store: store, hasher: cheapHasher)
            let email = Self.email()
            await #expect(throws: TodoError.badInput(code: "PASSWORD_TOO_SHORT", message: "Password too short", field: "password")) {
                try await auth.signUp(name: "Ada", email: email, password: "short", ipAddress: nil, userAgent: nil)
            }
            await #expect(throws: TodoError.badInput(code: "INVALID_EMAIL", message: "Invalid email", field: "email")) {
                try await auth.signUp(name: "Ada", email: "not-an-email", password: "long enough", ipAddress: nil, userAgent: nil)
            }
            await #expect(throws: TodoError.validation(field: "name", message: "name must be 1-100 characters")) {
                try await auth.signUp(name: "  ", email: email, password: "long enough", ipAddress: nil, userAgent: nil)
            }
            #expect(try await store.credential(email: email) == nil)
            _ = try await auth.signUp(name: "Ada", email: email, password: "long enough", ipAddress: nil, userAgent: nil)
            let duplicate = await #expect(throws: TodoError.self) {
                try await auth.signUp(name: "Eve", email: email.uppercased(), password: "other password", ipAddress: nil, userAgent: nil)
            }
            #expect(duplicate?.code == "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL")
        }
    }

    @Test(arguments: StoreKind.available)
    func aWrongPasswordAndAnUnknownEmailFailAlike(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let auth = AuthService(store: store, hasher: cheapHasher)
            let email = Self.email()
            _ = try await auth.signUp(name: "Ada", email: email, password: "correct horse", ipAddress: nil, userAgent: nil)
            let expected = TodoError.unauthorized(code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password")
            await #expect(throws: expected) {
                try await auth.signIn(email: email, password: "wrong horse", ipAddress: nil, userAgent: nil)
            }
            await #expect(throws: expected) {
                try await auth.signIn(email: Self.email(), password: "correct horse", ipAddress: nil, userAgent: nil)
            }
            let signedIn = try await auth.signIn(email: " \(email.uppercased())", password: "correct horse", ipAddress: nil, userAgent: nil)
            #expect(signedIn.user.email == email)
        }
    }

    @Test(arguments: StoreKind.available)
    func sessionsExpireRefreshAndEndAtSignOut(kind: StoreKind) async throws {
        try await withStore(kind) { migrated in
            let clock = ManualClock()
            let store = SQLStore(database: migrated.database, now: clock.now)
            let auth = AuthService(store: store, hasher: cheapHasher, now: clock.now)
            let started = try await auth.signUp(name: "Ada", email: Self.email(), password: "correct horse", ipAddress: nil, userAgent: nil)
            let token = started.session.token

            clock.advance(by: 3600)
            #expect(try await auth.authenticate(token: token)?.session.expiresAt == started.session.expiresAt, "not refreshed within a day")
            clock.advance(by: 24 * 3600)
            let refreshed = try #require(try await auth.authenticate(token: token))
            #expect(refreshed.session.expiresAt == clock.now().addingTimeInterval(AuthService.sessionLifetime))
            #expect(try await store.session(token: token)?.session.expiresAt == refreshed.session.expiresAt)

            clock.advance(by: AuthService.sessionLifetime + 1)
            #expect(try await auth.authenticate(token: token) == nil, "expired")
            #expect(try await store.session(token: token) == nil, "an expired session is deleted")

            let second = try await auth.signIn(email: started.user.email, password: "correct horse", ipAddress: nil, userAgent: nil)
            try await auth.signOut(token: second.session.token)
            #expect(try await auth.authenticate(token: second.session.token) == nil)
            #expect(try await auth.authenticate(token: "unknown-token") == nil)
        }
    }
}
