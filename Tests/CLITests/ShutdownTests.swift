import Foundation
import Testing
import TodoAPI
import TodoCore
import TodoTestSupport

@Suite(.heavy, .timeLimit(.minutes(2))) struct ShutdownTests {
    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalLetsTheInFlightRequestFinishThenExitsZero(signal: Int32) async throws {
        // A database that accepts connections and never answers makes /ready a request that takes 3 s.
        let (fd, dbPort) = try silentListener()
        defer { close(fd) }
        let cli = try CLI(environment: [
            "DATABASE_URL": "postgresql://u:p@127.0.0.1:\(dbPort)/db?sslmode=disable",
            "BETTER_AUTH_SECRET": "shutdown-secret-0123456789-abcdefghijkl", "DATABASE_TIMEOUT": "3s", "SHUTDOWN_TIMEOUT": "30s",
        ])
        let server = try await cli.startServer()
        defer { server.stop() }
        let inFlight = Task { try await server.get("/ready", timeoutMillis: 60_000) }
        try await server.waitForRequestsInFlight(1)
        server.signal(signal)
        let response = try await inFlight.value
        #expect(response.status == 503, "the in-flight request is answered, not cut off")
        #expect(await server.waitForExit(within: .seconds(60)) == 0)
        #expect((try? await server.get("/health", timeoutMillis: 500)) == nil, "no longer accepting connections")
    }

    @Test func anOpenMCPEventStreamDoesNotHoldShutdown() async throws {
        let cli = try CLI(environment: ["DATABASE_URL": "sqlite::memory:", "SHUTDOWN_TIMEOUT": "30s"])
        let server = try await cli.startServer()
        defer { server.stop() }
        let base = server.base
        let signedUp = try await server.signUp(email: "stream@example.com")
        guard case .string(let token)? = JSONValue.parse(signedUp)?["token"] else { Issue.record("no token: \(signedUp)"); return }
        let headers = try await Curl.run([
            "-sf", "-D", "-", "-o", "/dev/null", "-H", "authorization: Bearer \(token)", "-H", "content-type: application/json",
            "\(base)/mcp", "-d", #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#,
        ])
        let session = headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("mcp-session-id:") }
            .map { String($0.dropFirst("mcp-session-id:".count)).trimmingCharacters(in: .whitespaces) }
        guard let session else { Issue.record("no session: \(headers)"); return }
        let stream = Curl.start([
            "-sN", "-H", "authorization: Bearer \(token)", "-H", "accept: text/event-stream", "-H", "mcp-session-id: \(session)",
            "\(base)/mcp",
        ])
        defer { if stream.isRunning { stream.terminate() } }
        try await Task.sleep(for: .milliseconds(500))
        #expect(stream.isRunning, "the event stream is open")
        let start = ContinuousClock.now
        server.signal(SIGTERM)
        #expect(await server.waitForExit(within: .seconds(60)) == 0)
        #expect(ContinuousClock.now - start < .seconds(20), "the stream ended at shutdown instead of running into SHUTDOWN_TIMEOUT (30 s)")
    }
}

/// curl as a client in tests that need what HTTPProbe lacks (POST, streams).
enum Curl {
    static func start(_ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try? process.run()
        return process
    }

    static func run(_ arguments: [String]) async throws -> String {
        try await Subprocess.output("/usr/bin/curl", arguments)
    }
}
