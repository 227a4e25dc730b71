import Foundation
import Testing
@testable import todo_chatbot
import TodoCore
import TodoTestSupport

/// SIGHUP: a renewed certificate reaches new connections while open ones keep going, and rotated secrets given as
/// files take effect without a restart. Also HTTP/2 by ALPN and `keys rotate` against a running server.
@Suite(.heavy, .timeLimit(.minutes(2))) struct ReloadTests {
    /// Waits until the server's log has logged `line` `count` times.
    static func waitForLog(_ server: Server, _ line: String, count: Int = 1) async throws {
        for _ in 0..<100 where server.logText.components(separatedBy: line).count - 1 < count {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(server.logText.components(separatedBy: line).count - 1 >= count, "the log shows \(line): \(server.logText)")
    }

    static func copy(_ from: URL, to: URL) throws {
        _ = try? FileManager.default.removeItem(at: to)
        try FileManager.default.copyItem(at: from, to: to)
    }

    @Test func sighupReloadsTheCertificateWhileAClientKeepsItsConnection() async throws {
        let cli = try CLI(environment: ["DATABASE_URL": "sqlite::memory:"])
        let next = cli.folder.appendingPathComponent("next")
        let live = cli.folder.appendingPathComponent("live")
        try FileManager.default.createDirectory(at: next, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: live, withIntermediateDirectories: true)
        try await TLSTests.makeCertificates(cli.folder)
        try await TLSTests.makeCertificates(next, ca: "ca2")
        for name in ["server.crt", "server.key"] {
            try Self.copy(cli.folder.appendingPathComponent(name), to: live.appendingPathComponent(name))
        }
        let oldCA = cli.folder.appendingPathComponent("ca.crt").path
        let newCA = next.appendingPathComponent("ca2.crt").path
        let tls = ["TLS_CERT_FILE": live.appendingPathComponent("server.crt").path, "TLS_KEY_FILE": live.appendingPathComponent("server.key").path]
        let (server, port) = try await TLSTests.start(cli, "serve-api", health: "/health", environment: tls)
        defer { server.stop() }
        let url = "https://localhost:\(port)/health"

        // ALPN: HTTP/2 for clients that offer it, HTTP/1.1 for those that do not.
        #expect(try await Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_version}", "--cacert", oldCA, url]) == "2")
        #expect(try await Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_version}", "--http1.1", "--cacert", oldCA, url]) == "1.1")

        // One client, one connection, four requests a second apart; the certificate is replaced after the first.
        let discard = Array(repeating: ["-o", "/dev/null"], count: 4).flatMap { $0 }
        async let kept = Curl.run(["-s", "--rate", "1/s", "-w", "%{http_code} %{num_connects}\n", "--cacert", oldCA] + discard + [url, url, url, url])
        try await Task.sleep(for: .milliseconds(1300))
        for name in ["server.crt", "server.key"] {
            try Self.copy(next.appendingPathComponent(name), to: live.appendingPathComponent(name))
        }
        server.signal(SIGHUP)
        try await Self.waitForLog(server, "configuration reloaded")
        #expect(server.logText.contains("TLS certificate"))
        let lines = try await kept.split(separator: "\n").map(String.init)
        #expect(lines == ["200 1", "200 0", "200 0", "200 0"], "the open connection served every request: \(lines)")

        // New connections get the new certificate.
        let withNew = try await Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", newCA, url])
        #expect(withNew == "200")
        let withOld = try await Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", oldCA, url])
        #expect(withOld == "000", "the old CA no longer verifies the server")

        // A key that does not belong to the certificate is refused and the running pair stays.
        try Self.copy(cli.folder.appendingPathComponent("server.key"), to: live.appendingPathComponent("server.key"))
        server.signal(SIGHUP)
        try await Self.waitForLog(server, "configuration reloaded", count: 2)
        #expect(server.logText.contains("the current one stays"))
        #expect(try await Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", newCA, url]) == "200")
    }

    /// An HS256 token made with openssl, independent of the code under test.
    static func hs256(sub: String, secret: String) async throws -> String {
        let header = #"{"alg":"HS256","typ":"JWT"}"#
        let payload = #"{"sub":"\#(sub)","exp":\#(Int(Date().timeIntervalSince1970) + 600)}"#
        let script = """
            b64() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
            h=$(printf '%s' "$HEADER" | b64); p=$(printf '%s' "$PAYLOAD" | b64)
            s=$(printf '%s' "$h.$p" | openssl dgst -sha256 -hmac "$SECRET" -binary | b64)
            printf '%s' "$h.$p.$s"
            """
        return try await Subprocess.output(
            "/bin/sh", ["-c", script], environment: ["HEADER": header, "PAYLOAD": payload, "SECRET": secret, "PATH": "/usr/bin:/bin"]
        )
    }

    @Test func rotatedSecretFilesTakeEffectOnSighup() async throws {
        let old = "reload-old-secret-0123456789-abcdefghijkl"
        let new = "reload-new-secret-0123456789-abcdefghijkl"
        let cli = try CLI(environment: ["DATABASE_URL": "sqlite::memory:"])
        let secretFile = cli.folder.appendingPathComponent("auth-secret").path
        try "1:\(old)".write(toFile: secretFile, atomically: true, encoding: .utf8)
        let server = try await cli.startServer(environment: ["BETTER_AUTH_SECRETS_FILE": secretFile, "ACCEPT_HS256_TOKENS": "1"])
        defer { server.stop() }
        let base = server.base
        let jar = cli.folder.appendingPathComponent("cookies").path
        let signedUp = try await server.signUp(email: "reload@example.com", extra: ["-c", jar])
        let userID = try #require(JSONValue.parse(signedUp)?["user"]?["id"]?.stringValue)
        func status(_ extra: [String]) async throws -> String {
            try await Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}"] + extra + ["\(base)/api/tasks"])
        }
        let oldToken = try await Self.hs256(sub: userID, secret: old)
        let newToken = try await Self.hs256(sub: userID, secret: new)
        #expect(try await status(["-b", jar]) == "200")
        #expect(try await status(["-H", "authorization: Bearer \(newToken)"]) == "401")

        // Rotation: the new secret first, the old one kept for what it signed.
        try "2:\(new),1:\(old)".write(toFile: secretFile, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        try await Self.waitForLog(server, "configuration reloaded")
        #expect(try await status(["-H", "authorization: Bearer \(newToken)"]) == "200")
        #expect(try await status(["-H", "authorization: Bearer \(oldToken)"]) == "200", "an old HS256 token keeps working")
        #expect(try await status(["-b", jar]) == "200", "an old cookie keeps working")

        // The old secret removed: what it signed stops working.
        try "2:\(new)".write(toFile: secretFile, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        try await Self.waitForLog(server, "configuration reloaded", count: 2)
        #expect(try await status(["-H", "authorization: Bearer \(oldToken)"]) == "401")
        #expect(try await status(["-b", jar]) == "401")
        #expect(try await status(["-H", "authorization: Bearer \(newToken)"]) == "200")
        #expect(server.logText.contains("BETTER_AUTH_SECRETS"), "the log names what changed")
        #expect(!server.logText.contains(old) && !server.logText.contains(new), "but never the values")

        // A reload that fails to read its files keeps the running configuration.
        try FileManager.default.removeItem(atPath: secretFile)
        server.signal(SIGHUP)
        try await Self.waitForLog(server, "reload failed")
        #expect(try await status(["-H", "authorization: Bearer \(newToken)"]) == "200")
    }

    @Test func keysRotateKeepsIssuedTokensValid() async throws {
        let cli = try CLI(environment: [
            "DATABASE_URL": "sqlite://\(FileManager.default.temporaryDirectory.path)/keys-\(UUID().uuidString).db",
            "BETTER_AUTH_SECRET": "keys-secret-0123456789-abcdefghijklmnop",
        ])
        let server = try await cli.startServer()
        defer { server.stop() }
        let base = server.base
        let signedUp = try await server.signUp(email: "keys@example.com")
        let session = try #require(JSONValue.parse(signedUp)?["token"]?.stringValue)
        let issued = try await Curl.run(["-s", "-H", "authorization: Bearer \(session)", "\(base)/api/auth/token"])
        let jwt = try #require(JSONValue.parse(issued)?["token"]?.stringValue)

        let before = try await cli.run(["keys", "list"])
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.contains("signing"))
        let rotated = try await cli.run(["keys", "rotate"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stdout.contains("new signing key"))
        #expect(rotated.stdout.contains("signing") && rotated.stdout.contains("verifying"), "\(rotated.stdout)")

        let jwks = try await Curl.run(["-s", "\(base)/api/auth/jwks"])
        #expect(JSONValue.parse(jwks)?["keys"]?.arrayValue?.count == 2, "the retired key stays published: \(jwks)")
        let status = try await Curl.run(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "authorization: Bearer \(jwt)", "\(base)/api/tasks"])
        #expect(status == "200", "a token of the retired key keeps working")

        let broken = try await cli.run(["keys", "rotate"], environment: ["DATABASE_URL": "postgresql://u:p@127.0.0.1:1/db", "DATABASE_TIMEOUT": "1s"])
        #expect(broken.status == 1)
        #expect(broken.stderr == "todo-chatbot: cannot reach PostgreSQL: connection refused\n", "one line naming the cause")
    }
}
