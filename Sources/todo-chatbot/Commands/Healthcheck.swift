import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import TodoAPI
import TodoCore

/// `healthcheck`: the container HEALTHCHECK; asks the local role's health URL and exits 0 or 1.
struct Healthcheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Check the local server's health URL; exit 0 when healthy, 1 otherwise.",
        discussion: """
            Requests http://127.0.0.1:PORT/health for ROLE=api (the default, port 8000) and /api/health for \
            ROLE=web, or the URL given with --url. Without ROLE it checks the server that runs as process 1 (its role \
            and --port), which is what a container's HEALTHCHECK needs. With TLS_CERT_FILE set it speaks HTTPS and, on \
            loopback only, does not verify the certificate (it names the public host, not 127.0.0.1). It prints one \
            line and fails on a refused \
            connection, a timeout or a status other than 2xx. It needs no curl in the image.

            Examples:
              todo-chatbot healthcheck
              todo-chatbot healthcheck --url http://127.0.0.1:3000/api/health --timeout 1s
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "URL to request instead of the one derived from ROLE, HOST and PORT.")
    var url: String?

    @Option(name: .long, help: "The role whose health URL to check: api, web or serve. [env: ROLE] (default: api)")
    var role: String?

    @Option(name: .long, help: "Port of the local server. [env: PORT] (default: the role's port)")
    var port: String?

    @Option(name: .long, help: "Give up after this long, e.g. 3s or 500ms.")
    var timeout: String = "3s"

    func run() async throws {
        var flags: [String: String] = [:]
        flags[SettingKey.role.rawValue] = role
        flags[SettingKey.port.rawValue] = port
        // In a container the health check is a separate process: without ROLE it checks what PID 1 serves.
        let environment = ProcessInfo.processInfo.environment
        if role == nil, environment["ROLE"] == nil, let server = RunningServer.processOne() {
            flags[SettingKey.role.rawValue] = server.role.rawValue
            if port == nil, environment["PORT"] == nil, let serverPort = server.port { flags[SettingKey.port.rawValue] = serverPort }
        }
        let settings = try Startup.settings(global, flags: flags)
        guard let millis = Self.milliseconds(timeout) else {
            throw Startup.fail("configuration error: --timeout: '\(timeout)' is not a positive duration under 10 minutes (e.g. 3, 3s, 500ms, 1m)", code: 2)
        }
        let target = url ?? Self.localURL(settings)
        let start = ContinuousClock.now
        if target.lowercased().hasPrefix("https://") {
            try await Self.checkTLS(target, timeoutMillis: millis, start: start)
            return
        }
        do {
            let response = try HTTPProbe.get(target, timeoutMillis: millis)
            let ms = (ContinuousClock.now - start).totalMilliseconds
            guard (200..<300).contains(response.status) else {
                print("unhealthy: \(target) answered \(response.status) in \(ms) ms")
                throw ExitCode(1)
            }
            print("healthy: \(target) answered \(response.status) in \(ms) ms")
        } catch let failure as HTTPProbe.Failure {
            print("unhealthy: \(target): \(failure.description)")
            throw ExitCode(1)
        }
    }

    /// The health URL of the role running in this container; a wildcard listen address is reached via loopback.
    static func localURL(_ settings: Settings) -> String {
        let host = ["0.0.0.0", "::", "[::]", ""].contains(settings.host) ? "127.0.0.1" : settings.host
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(settings.servesTLS ? "https" : "http")://\(shownHost):\(settings.effectivePort)\(settings.role.healthPath)"
    }

    /// Over TLS: the certificate is checked, except on loopback, where the server is this machine's own and its
    /// certificate names the public host rather than 127.0.0.1.
    static func checkTLS(_ target: String, timeoutMillis: Int32, start: ContinuousClock.Instant) async throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let host = URLComponents(string: target)?.host, ["127.0.0.1", "localhost", "::1"].contains(host) {
            tls.certificateVerification = .none
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .milliseconds(Int64(timeoutMillis)), read: .milliseconds(Int64(timeoutMillis)))
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let outcome: Result<Int, any Error>
        do {
            let response = try await client.execute(HTTPClientRequest(url: target), timeout: .milliseconds(Int64(timeoutMillis)))
            outcome = .success(Int(response.status.code))
        } catch {
            outcome = .failure(error)
        }
        try? await client.shutdown()
        let elapsed = (ContinuousClock.now - start).totalMilliseconds
        switch outcome {
        case .success(let status) where (200..<300).contains(status):
            print("healthy: \(target) answered \(status) in \(elapsed) ms")
        case .success(let status):
            print("unhealthy: \(target) answered \(status) in \(elapsed) ms")
            throw ExitCode(1)
        case .failure(let error):
            print("unhealthy: \(target): \(error)")
            throw ExitCode(1)
        }
    }

    static func milliseconds(_ text: String) -> Int32? {
        guard let duration = SettingReader.duration(text), duration < .seconds(600) else { return nil }
        return Int32(duration.totalMilliseconds)
    }
}
