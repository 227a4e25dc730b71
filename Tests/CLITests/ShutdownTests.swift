import Foundation
import Testing
import TodoAPI
import TodoCore
import TodoTestSupport
@testable import todo_chatbot

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
    @Test func aChatTurnWhoseClientLeftIsFinishedAndStoredBeforeTheProcessExits() async throws {
        // The answer takes about 4 s to stream, well past SHUTDOWN_TIMEOUT (1 s): turns are bounded by AGENT_TIMEOUT.
        let llm = ScriptedLLM([.slow([ScriptedLLM.text("The answer"), ScriptedLLM.text(" is complete.")], every: .seconds(2))])
        try await llm.serve { modelURL in
            let cli = try CLI(environment: [
                "DATABASE_URL": "sqlite:./todo.sqlite", "OPENAI_BASE_URL": modelURL, "OPENAI_API_KEY": "test-key-not-real",
                "SHUTDOWN_TIMEOUT": "1s", "AGENT_TIMEOUT": "60s",
            ])
            let server = try await cli.startServer()
            defer { server.stop() }
            guard case .string(let token)? = JSONValue.parse(try await server.signUp(email: "drain@example.com"))?["token"] else {
                Issue.record("no token"); return
            }
            let stream = cli.folder.appendingPathComponent("stream.txt")
            let client = Curl.start([
                "-sN", "-o", stream.path, "-H", "authorization: Bearer \(token)", "-H", "accept: text/event-stream",
                "-H", "content-type: application/json", "\(server.base)/api/chat", "-d", #"{"message":"what is the answer?"}"#,
            ])
            let deadline = ContinuousClock.now + .seconds(60)
            while !((try? String(contentsOf: stream, encoding: .utf8)) ?? "").contains("event: conversation"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            // The client leaves mid-turn, then the server is told to stop.
            client.terminate()
            server.signal(SIGTERM)
            #expect(await server.waitForExit(within: .seconds(60)) == 0, "\(server.logText)")

            let again = try await cli.startServer()
            defer { again.stop() }
            let listed = try await Curl.run(["-s", "-H", "authorization: Bearer \(token)", "\(again.base)/api/conversations"])
            guard case .array(let conversations)? = JSONValue.parse(listed)?["conversations"],
                  case .int(let id)? = conversations.first?["id"] else { Issue.record("no conversation: \(listed)"); return }
            let detail = try await Curl.run(["-s", "-H", "authorization: Bearer \(token)", "\(again.base)/api/conversations/\(id)"])
            guard case .array(let items)? = JSONValue.parse(detail)?["messages"] else { Issue.record("no messages: \(detail)"); return }
            #expect(items.map { $0["role"]?.stringValue ?? "" } == ["user", "assistant"])
            #expect(items.last?["content"] == "The answer is complete.", "the whole answer was stored: \(detail)")
        }
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
