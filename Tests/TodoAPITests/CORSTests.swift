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

/// CORS for trusted origins with credentials, as a frontend on another origin needs it; nothing for anyone else.
@Suite struct CORSTests {
    static let app = "https://app.example.com"

    static func configure(_ configuration: inout APIConfiguration) {
        configuration.auth.publicURL = "https://api.example.com"
        configuration.trustedOrigins = [Self.app]
    }

    @Test func aTrustedOriginsPreflightIsAnsweredWithCredentialsAndOnlyKnownHeaders() async throws {
        try await withAPI(configure: Self.configure) { client in
            for origin in [Self.app, "https://API.example.com:443"] {
                let preflight = try await client.execute(uri: "/api/tasks", method: .options, headers: [
                    .origin: origin, HTTPField.Name("Access-Control-Request-Method")!: "POST",
                    HTTPField.Name("Access-Control-Request-Headers")!: "Content-Type, Authorization, X-Evil",
                ])
                #expect(preflight.status == .noContent)
                #expect(preflight.headers[.accessControlAllowOrigin] == WebOrigin.of(origin))
                #expect(preflight.headers[.accessControlAllowCredentials] == "true")
                #expect(preflight.headers[.accessControlAllowMethods]?.contains("PATCH") == true)
                #expect(preflight.headers[.accessControlAllowHeaders] == "content-type, authorization", "X-Evil is not allowed")
                #expect(preflight.headers[.vary] == "Origin")
            }
        }
    }

    @Test func answersToATrustedOriginCarryItErrorsIncluded() async throws {
        try await withAPI(configure: Self.configure) { client in
            let signedUp = try await client.execute(
                uri: "/api/auth/sign-up/email", method: .post, headers: [.origin: Self.app, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"Ada","email":"cors-\#(UUID().uuidString.prefix(8))@example.com","password":"correct horse"}"#)
            )
            #expect(signedUp.status == .ok)
            #expect(signedUp.headers[.accessControlAllowOrigin] == Self.app)
            #expect(signedUp.headers[.accessControlAllowCredentials] == "true")
            #expect(signedUp.headers[.accessControlExposeHeaders]?.contains("Retry-After") == true)
            let refused = try await client.execute(uri: "/api/tasks", method: .get, headers: [.origin: Self.app])
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.accessControlAllowOrigin] == Self.app, "a script can read why it was refused")
        }
    }

    @Test func anyOtherOriginGetsNoCORSHeader() async throws {
        try await withAPI(configure: Self.configure) { client in
            for origin in ["https://evil.example", "null", "https://app.example.com.evil.example", "http://app.example.com"] {
                let preflight = try await client.execute(uri: "/api/tasks", method: .options, headers: [
                    .origin: origin, HTTPField.Name("Access-Control-Request-Method")!: "DELETE",
                ])
                #expect(preflight.status != .noContent, "\(origin)")
                #expect(preflight.headers[.accessControlAllowOrigin] == nil, "\(origin)")
                let get = try await client.execute(uri: "/health", method: .get, headers: [.origin: origin])
                #expect(get.headers[.accessControlAllowOrigin] == nil && get.headers[.accessControlAllowCredentials] == nil, "\(origin)")
            }
        }
    }

    @Test func aCrossSiteCookieIsSameSiteNoneAndSecure() async throws {
        try await withAPI(configure: {
            Self.configure(&$0)
            $0.cookieSameSite = .none
        }) { client in
            let signedUp = try await client.execute(
                uri: "/api/auth/sign-up/email", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"Ada","email":"cross-\#(UUID().uuidString.prefix(8))@example.com","password":"correct horse"}"#)
            )
            let cookie = try #require(signedUp.headers[.setCookie])
            #expect(cookie.contains("; SameSite=None") && cookie.hasSuffix("; Secure") && cookie.hasPrefix("__Secure-"), "\(cookie)")
        }
    }
}
