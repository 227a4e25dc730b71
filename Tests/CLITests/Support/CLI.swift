import Foundation
import Synchronization
import TodoAPI
import TodoCore
import TodoTestSupport
@testable import todo_chatbot

#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `todo-chatbot` binary as a user would, in a scratch folder with a controlled environment.
struct CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Next to the test bundle in `.build/<triple>/debug/`; the test target depends on the executable so it is built.
    static let binary: URL = {
        if let override = ProcessInfo.processInfo.environment["TODO_CHATBOT_BIN"] { return URL(fileURLWithPath: override) }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("todo-chatbot").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("todo-chatbot")
    }()

    /// Every configuration key is removed from the inherited environment so the developer's shell cannot leak in.
    static let configurationKeys = SettingKey.allCases.map(\.rawValue)

    let folder: URL
    var environment: [String: String]

    init(environment extra: [String: String] = [:]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("todo-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        for key in Self.configurationKeys { environment[key] = nil }
        environment["SWIFT_BACKTRACE"] = "enable=no"
        environment.merge(extra) { $1 }
        self.environment = environment
    }

    func write(_ name: String, _ contents: String) throws {
        try contents.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func process(_ arguments: [String], environment extra: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = environment.merging(extra) { $1 }
        return process
    }

    /// Runs to completion, with `input` as its standard input, and returns its exit status and output.
    func run(_ arguments: [String], environment extra: [String: String] = [:], input: String? = nil) async throws -> Result {
        let output = try await Subprocess.run(process(arguments, environment: extra), input: input)
        return Result(status: output.status, stdout: output.stdout, stderr: output.stderr)
    }

    /// Starts `serve-api` on a free port and waits until `/health` answers. A port taken between choosing and
    /// binding it (other tests bind ports too) is retried with another one.
    func startServer(
        _ arguments: [String] = [], command: String = "serve-api", health: String = "/health", environment extra: [String: String] = [:]
    ) async throws -> Server {
        var lastLog = ""
        for _ in 0..<3 {
            let server = try launch(command, arguments: arguments, environment: extra)
            // A minute: a debug build starting beside every other suite on a slow machine can take many seconds.
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if (try? await server.get(health))?.status == 200 { return server }
                guard server.process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            server.stop()
            lastLog = server.logText
            guard lastLog.contains("the port is already in use") else { break }
        }
        throw ServerDidNotStart(log: lastLog)
    }

    /// Starts `command` on a free port with its output in a log file in `folder`; does not wait for it.
    func launch(_ command: String, arguments: [String] = [], environment extra: [String: String] = [:]) throws -> Server {
        let port = try freePort()
        let process = process([command, "--port", String(port)] + arguments, environment: extra)
        let log = folder.appendingPathComponent("\(command)-\(port).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return Server(process: process, port: port, log: log)
    }
}

struct ServerDidNotStart: Error, CustomStringConvertible {
    let log: String
    var description: String { "serve-api did not start:\n\(log)" }
}

/// A running `serve-api` process.
struct Server {
    let process: Process
    let port: Int
    let log: URL

    var base: String { "http://127.0.0.1:\(port)" }

    /// Signs up a new user and returns the answer (`token`, `user`); `extra` adds curl options, e.g. a cookie jar.
    func signUp(email: String, extra: [String] = []) async throws -> String {
        try await Curl.run(
            ["-s", "-H", "content-type: application/json"] + extra
                + ["\(base)/api/auth/sign-up/email", "-d", #"{"name":"T","email":"\#(email)","password":"correct horse battery"}"#]
        )
    }

    func get(_ path: String, timeoutMillis: Int32 = 5000) async throws -> HTTPProbe.Response {
        let url = "http://127.0.0.1:\(port)\(path)"
        return try await offPool { try HTTPProbe.get(url, timeoutMillis: timeoutMillis) }
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits until the server reports at least `count` requests in flight besides the one asking, so a test acts
    /// on a request the server really has, however slowly it arrived.
    func waitForRequestsInFlight(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let metrics = try await get("/metrics").body
            let line = metrics.split(separator: "\n").first { $0.hasPrefix("http_requests_in_flight ") }
            if let value = line.flatMap({ Double($0.split(separator: " ").last ?? "") }), Int(value) > count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServerDidNotStart(log: "fewer than \(count) requests in flight after a minute\n" + logText)
    }

    /// Kills the server if it still runs; its exit is left to Foundation, since `defer` cannot wait.
    func stop() {
        if process.isRunning { signal(SIGKILL) }
    }

    /// Waits for the process to exit by itself and returns its status, or nil after `limit`.
    func waitForExit(within limit: Duration) async -> Int32? {
        await ProcessExit.status(of: process, within: limit)
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
}
