import Foundation
import Testing
import TodoAPI
import TodoTestSupport

@Suite(.timeLimit(.minutes(2))) struct ShutdownTests {
    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalLetsTheInFlightRequestFinishThenExitsZero(signal: Int32) async throws {
        // A database that accepts connections and never answers makes /ready a request that takes 2 s.
        let (fd, dbPort) = try silentListener()
        defer { close(fd) }
        let cli = try CLI(environment: [
            "DATABASE_URL": "postgresql://u:p@127.0.0.1:\(dbPort)/db?sslmode=disable",
            "BETTER_AUTH_SECRET": String(repeating: "s", count: 32), "DATABASE_TIMEOUT": "2s", "SHUTDOWN_TIMEOUT": "10s",
        ])
        let server = try await cli.startServer()
        defer { server.stop() }
        let inFlight = Task { try await server.get("/ready", timeoutMillis: 10_000) }
        try await Task.sleep(for: .milliseconds(500))
        server.signal(signal)
        let response = try await inFlight.value
        #expect(response.status == 503, "the in-flight request is answered, not cut off")
        #expect(await server.waitForExit(within: .seconds(10)) == 0)
        #expect((try? await server.get("/health", timeoutMillis: 500)) == nil, "no longer accepting connections")
    }
}
