import Foundation

/// Runs a program to its end and collects what it printed.
///
/// Input and output go through temporary files, not pipes: a daemon that another test starts at the same moment
/// (pg_ctl's postgres in the restart drill) inherits every open descriptor, and holding a pipe's write end it would
/// keep the reader waiting for an end-of-file forever. A file needs no end-of-file from anyone.
public enum Subprocess {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static func run(_ process: Process, input: String? = nil) async throws -> Output {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("subprocess-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let paths = ["in", "out", "err"].map { folder.appendingPathComponent($0) }
        try Data((input ?? "").utf8).write(to: paths[0])
        for path in paths.dropFirst() { FileManager.default.createFile(atPath: path.path, contents: nil) }
        let handles = [try FileHandle(forReadingFrom: paths[0]), try FileHandle(forWritingTo: paths[1]), try FileHandle(forWritingTo: paths[2])]
        defer { for handle in handles { try? handle.close() } }
        process.standardInput = handles[0]
        process.standardOutput = handles[1]
        process.standardError = handles[2]
        try process.run()
        let status = await ProcessExit.status(of: process) ?? -1
        return Output(
            status: status,
            stdout: (try? String(contentsOf: paths[1], encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: paths[2], encoding: .utf8)) ?? ""
        )
    }

    /// Standard output of `executable` run with `arguments`.
    public static func output(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        return try await run(process).stdout
    }
}
