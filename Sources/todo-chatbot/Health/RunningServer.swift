import Foundation
import TodoCore

/// The server role a process runs, read from its command line (`todo-chatbot serve-web --port 3000`).
public struct RunningServer: Equatable, Sendable {
    public let role: Settings.Role
    public let port: String?

    public init(role: Settings.Role, port: String?) {
        self.role = role
        self.port = port
    }

    static let roles: [String: Settings.Role] = ["serve-api": .api, "serve-web": .web, "serve": .serve]

    /// The server that is PID 1, as in a container started by the image's entrypoint.
    public static func processOne() -> RunningServer? {
        guard let data = FileManager.default.contents(atPath: "/proc/1/cmdline") else { return nil }
        return parse(data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
    }

    public static func parse(_ arguments: [String]) -> RunningServer? {
        guard arguments.count >= 2, arguments[0].hasSuffix("todo-chatbot"), let role = roles[arguments[1]] else { return nil }
        var port: String?
        for (index, argument) in arguments.enumerated() {
            if argument == "--port", index + 1 < arguments.count { port = arguments[index + 1] }
            if argument.hasPrefix("--port=") { port = String(argument.dropFirst("--port=".count)) }
        }
        return RunningServer(role: role, port: port)
    }
}
