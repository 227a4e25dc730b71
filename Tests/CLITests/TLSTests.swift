import Foundation
import Testing
@testable import todo_chatbot
import TodoAPI
import TodoCore
import TodoTestSupport

/// The server roles over TLS with a CA made here: HTTPS on each role, the health check, serve-web verifying the
/// API's certificate, and a certificate it does not trust.
@Suite(.heavy, .timeLimit(.minutes(2))) struct TLSTests {
    /// A CA and a server certificate for localhost and 127.0.0.1 signed by it, made with openssl in `folder`.
    static func makeCertificates(_ folder: URL, ca: String = "ca") async throws {
        let script = """
            set -e
            openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test-\(ca) -keyout \(ca).key -out \(ca).crt 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out server.csr 2>/dev/null
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > san.ext
            openssl x509 -req -in server.csr -CA \(ca).crt -CAkey \(ca).key -CAcreateserial -days 1 -extfile san.ext -out server.crt 2>/dev/null
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = folder
        guard try await Subprocess.run(process).status == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Starts a role with TLS and waits until it answers over HTTPS.
    static func start(_ cli: CLI, _ command: String, health: String, environment: [String: String]) async throws -> (Server, Int) {
        let server = try cli.launch(command, environment: environment)
        let port = server.port
        for _ in 0..<100 {
            let status = try await Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", cli.folder.appendingPathComponent("ca.crt").path,
                                              "https://localhost:\(port)\(health)"])
            if status == "200" { return (server, port) }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop()
        throw ServerDidNotStart(log: server.logText)
    }

    @Test func everyRoleSpeaksHTTPSAndServeWebVerifiesTheAPI() async throws {
        let cli = try CLI(environment: ["DATABASE_URL": "sqlite::memory:"])
        try await Self.makeCertificates(cli.folder)
        let tls = ["TLS_CERT_FILE": cli.folder.appendingPathComponent("server.crt").path, "TLS_KEY_FILE": cli.folder.appendingPathComponent("server.key").path]
        let ca = cli.folder.appendingPathComponent("ca.crt").path

        let (api, apiPort) = try await Self.start(cli, "serve-api", health: "/health", environment: tls)
        defer { api.stop() }
        let health = try await cli.run(["healthcheck", "--port", String(apiPort)], environment: tls)
        #expect(health.status == 0, "\(health.stdout)")
        #expect(health.stdout.hasPrefix("healthy: https://127.0.0.1:\(apiPort)/health"))
        let plain = try await Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(apiPort)/health"])
        #expect(plain != "200", "no plain HTTP on a TLS port")

        var web = tls
        web["API_URL"] = "https://localhost:\(apiPort)"
        web["API_CA_FILE"] = ca
        let (webServer, webPort) = try await Self.start(cli, "serve-web", health: "/api/health", environment: web)
        defer { webServer.stop() }
        let deep = try await Curl.run(["-s", "--cacert", ca, "https://localhost:\(webPort)/api/health?deep=1"])
        #expect(deep.contains(#""agent":"offline""#), "serve-web reached the API over verified TLS: \(deep)")
        let proxied = try await Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca, "https://localhost:\(webPort)/api/tasks"])
        #expect(proxied == "401")
        // A chat stream goes browser → serve-web → serve-api over TLS (HTTP/2 on both hops) event by event.
        let signedUp = try await Curl.run([
            "-s", "--cacert", ca, "-H", "content-type: application/json", "https://localhost:\(webPort)/api/auth/sign-up/email",
            "-d", #"{"name":"T","email":"tls@example.com","password":"correct horse battery"}"#,
        ])
        let token = try #require(JSONValue.parse(signedUp)?["token"]?.stringValue, "\(signedUp)")
        let stream = try await Curl.run([
            "-s", "-N", "--cacert", ca, "-H", "authorization: Bearer \(token)", "-H", "accept: text/event-stream",
            "-H", "content-type: application/json", "https://localhost:\(webPort)/api/chat", "-d", #"{"message":"add renew the certificate"}"#,
        ])
        #expect(stream.contains("event: tool-result") && stream.contains("event: done"), "\(stream)")
        let webHealth = try await cli.run(["healthcheck", "--role", "web", "--port", String(webPort)], environment: tls)
        #expect(webHealth.status == 0, "\(webHealth.stdout)")

        // A serve-web that does not trust the API's CA refuses it: 502, never plain HTTP.
        var untrusting = tls
        untrusting["API_URL"] = "https://localhost:\(apiPort)"
        let (doubtful, doubtfulPort) = try await Self.start(cli, "serve-web", health: "/api/health", environment: untrusting)
        defer { doubtful.stop() }
        let refused = try await Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca, "https://localhost:\(doubtfulPort)/api/tasks"])
        #expect(refused == "502")
        #expect(doubtful.logText.contains("API unreachable"), "the refusal is logged")

        // `serve` (API and UI in one process) over TLS too, HTTP/2 included.
        let (both, bothPort) = try await Self.start(cli, "serve", health: "/health", environment: tls)
        defer { both.stop() }
        let page = try await Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code} %{http_version}", "--cacert", ca, "https://localhost:\(bothPort)/"])
        #expect(page == "200 2", "the UI over HTTPS with HTTP/2: \(page)")
        let bothHealth = try await cli.run(["healthcheck", "--role", "serve", "--port", String(bothPort)], environment: tls)
        #expect(bothHealth.status == 0, "\(bothHealth.stdout)")

        let half = try await cli.run(["serve-api"], environment: ["TLS_CERT_FILE": tls["TLS_CERT_FILE"]!])
        #expect(half.status == 2)
        #expect(half.stderr.contains("TLS_KEY_FILE: is required with TLS_CERT_FILE"))
    }
}
