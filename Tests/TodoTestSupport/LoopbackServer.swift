import Hummingbird
import Logging

/// Runs a test's own HTTP server (a scripted model, a webhook receiver) on a free loopback port while `body` runs
/// with its base URL, then stops it.
public func serveOnLoopback<T: Sendable>(
    _ router: Router<BasicRequestContext>, path: String = "", _ body: @escaping @Sendable (String) async throws -> T
) async throws -> T {
    let port = PortBox()
    var quiet = Logger(label: "loopback-server")
    quiet.logLevel = .critical
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in port.set(channel.localAddress?.port ?? 0) }, logger: quiet
    )
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await app.runService()
            return nil
        }
        while port.value == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let result = try await body("http://127.0.0.1:\(port.value)\(path)")
        group.cancelAll()
        return result
    }
}
