import Foundation
import Testing
@testable import todo_chatbot
import TodoTestSupport

@Suite(.heavy) struct HTTPProbeTests {
    @Test func readsTheStatusAndBodyOfALiveServer() async throws {
        let server = try await CLI(environment: ["DATABASE_URL": "sqlite::memory:"]).startServer()
        defer { server.stop() }
        let response = try await offPool { try HTTPProbe.get("http://127.0.0.1:\(server.port)/health", timeoutMillis: 3000) }
        #expect(response.status == 200)
        #expect(response.body.contains(#""status":"ok""#))
        let missing = try await offPool { try HTTPProbe.get("http://localhost:\(server.port)/nope", timeoutMillis: 3000) }
        #expect(missing.status == 404)
    }

    @Test func aClosedPortIsRefused() throws {
        let failure = #expect(throws: HTTPProbe.Failure.self) { try HTTPProbe.get("http://127.0.0.1:9/health", timeoutMillis: 1000) }
        #expect(failure?.description == "connection refused")
    }

    @Test func rejectsURLsItCannotProbe() {
        #expect(throws: HTTPProbe.Failure.self) { try HTTPProbe.get("https://127.0.0.1/health", timeoutMillis: 100) }
        #expect(throws: HTTPProbe.Failure.self) { try HTTPProbe.get("http://:80/", timeoutMillis: 100) }
    }
}
