import Foundation
import Testing
import TodoCore
import TodoTestSupport
@testable import todo_chatbot

/// The configuration documents must name every key the binary reads, and the example file must be valid.
@Suite struct DocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func envExampleListsEveryKeyAndLoads() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent(".env.example"), encoding: .utf8)
        let values = try EnvFile.parse(text, origin: ".env.example")
        for key in SettingKey.allCases { #expect(values[key.rawValue] != nil, "\(key.rawValue) missing from .env.example") }
        _ = try Settings.load(from: ConfigSources(envFile: values))
    }

    @Test func readmeDocumentsEveryKey() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        for key in SettingKey.allCases { #expect(readme.contains("`\(key.rawValue)`"), "\(key.rawValue) missing from README.md") }
    }

    /// SIGTERM waits for chat turns to store their answers; a container killed before that loses them.
    @Test func composeGivesTheServersLongerThanTheShutdownBound() throws {
        let compose = try String(contentsOf: Self.root.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        let periods = compose.split(separator: "\n").compactMap { line -> Int? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("stop_grace_period:") else { return nil }
            return Int(trimmed.dropFirst("stop_grace_period:".count).trimmingCharacters(in: .whitespaces).dropLast())
        }
        #expect(periods.count == 2, "api and web both set stop_grace_period")
        let bound = Settings().shutdownBound.components.seconds
        #expect(bound == 75, "the documented bound for the defaults")
        for period in periods { #expect(Int64(period) > bound) }
    }

    /// The served OpenAPI document is generated; an edit by hand, or a script change not regenerated, fails here.
    @Test func theOpenAPIDocumentIsWhatItsGeneratorMakes() async throws {
        let script = Self.root.appendingPathComponent("scripts/openapi.py").path
        let output = try await Subprocess.run(Self.python(["python3", script, "--check"]))
        #expect(output.status == 0, "\(output.stderr)")
    }

    static func python(_ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        return process
    }
}
