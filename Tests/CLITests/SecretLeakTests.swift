import Foundation
import Testing
@testable import todo_chatbot
import TodoAPI
import TodoCore
import TodoTestSupport

/// Secret values never show up in logs, errors, /metrics, --help or /health, whatever the server is asked.
@Suite(.heavy) struct SecretLeakTests {
    static let authSecret = "leak-canary-auth-secret-0123456789abcdef"
    static let apiKey = "sk-leak-canary-openai-key-0123456789"
    static let databasePassword = "leakCanaryDbPassword42"
    static let webhookSecret = "leak-canary-webhook-secret-0123456789ab"
    static let webhookToken = "leakCanaryWebhookToken77"
    static var canaries: [String] { [authSecret, apiKey, databasePassword, webhookSecret, webhookToken] }

    @Test func noSecretAppearsAnywhereTheServerWrites() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let keyFile = folder.appendingPathComponent("openai-key").path
        try Self.apiKey.write(toFile: keyFile, atomically: true, encoding: .utf8)
        let cli = try CLI(environment: [
            "DATABASE_URL": "sqlite::memory:", "BETTER_AUTH_SECRET": Self.authSecret, "OPENAI_API_KEY_FILE": keyFile,
            "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "LOG_LEVEL": "trace", "LLM_MAX_RETRIES": "0",
            // A webhook nobody answers, with a token in its query: its failures are logged, its secrets are not.
            "REMINDER_WEBHOOK_URL": "http://user:\(Self.webhookToken)@127.0.0.1:9/hook?token=\(Self.webhookToken)",
            "REMINDER_WEBHOOK_SECRET": Self.webhookSecret, "REMINDER_POLL_INTERVAL": "200ms",
        ])
        let server = try await cli.startServer()
        defer { server.stop() }
        var seen: [String] = []
        for path in ["/health", "/ready", "/metrics", "/openapi.json", "/api/tasks", "/api/auth/get-session", "/nope"] {
            seen.append(try await server.get(path).body)
        }
        let base = server.base
        let signedUp = try await server.signUp(email: "leak@example.com")
        seen.append(signedUp)
        let token = JSONValue.parse(signedUp)?["token"]?.stringValue ?? ""
        // A chat turn whose model server is unreachable: the error must not carry the key.
        seen.append(try await Curl.run([
            "-s", "-H", "authorization: Bearer \(token)", "-H", "content-type: application/json", "\(base)/api/chat", "-d", #"{"message":"hi"}"#,
        ]))
        seen.append(try await server.get("/metrics").body)
        // A reminder already due: its webhook call fails, and the failure is logged.
        seen.append(try await Curl.run([
            "-s", "-H", "authorization: Bearer \(token)", "-H", "content-type: application/json", "\(base)/api/tasks",
            "-d", #"{"title":"due now","remind_at":"2020-01-01T00:00:00Z"}"#,
        ]))
        // A refused connection is retried by the HTTP client until the attempt's 10 s deadline.
        for _ in 0..<300 where !server.logText.contains("reminder webhook failed") { try await Task.sleep(for: .milliseconds(100)) }
        #expect(server.logText.contains("reminder webhook failed"), "the failed call was logged")
        // A reload logs what changed, by name only.
        try "\(Self.apiKey)-rotated".write(toFile: keyFile, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        try await ReloadTests.waitForLog(server, "configuration reloaded")
        server.signal(SIGTERM)
        _ = await server.waitForExit(within: .seconds(60))
        seen.append(server.logText)

        // Configuration errors and help, with a database password in the URL.
        let url = "postgresql://app:\(Self.databasePassword)@127.0.0.1:1/db?sslmode=require"
        seen.append(try await cli.run(["serve-api"], environment: ["DATABASE_URL": url, "BETTER_AUTH_SECRET": "short"]).stderr)
        let migrate = try await cli.run(["migrate", "--database-timeout", "1s"], environment: ["DATABASE_URL": url])
        seen.append(migrate.stdout + migrate.stderr)
        for command in ["serve-api", "serve", "serve-web", "chat", "mcp", "migrate", "keys", "healthcheck"] {
            seen.append(try await cli.run([command, "--help"]).stdout)
        }

        let everything = seen.joined(separator: "\n")
        #expect(everything.contains("serve-api starting"), "the log was captured")
        #expect(everything.contains("changed=OPENAI_API_KEY") || everything.contains("OPENAI_API_KEY"), "the reload was logged")
        for canary in Self.canaries {
            #expect(!everything.contains(canary), "a secret leaked: \(canary.prefix(12))…")
        }
    }
}
