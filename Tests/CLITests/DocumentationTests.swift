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

    /// VERSION is where a release takes its version from; the binary prints it and CHANGELOG.md describes it.
    @Test func theVersionIsOneInVersionTheBinaryAndTheChangelog() throws {
        let version = try String(contentsOf: Self.root.appendingPathComponent("VERSION"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version == TodoVersion.current, "VERSION says \(version), Sources/TodoCore/Version.swift \(TodoVersion.current)")
        let semver = try Regex(#"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?"#)
        #expect(try semver.wholeMatch(in: version) != nil, "VERSION is not X.Y.Z or X.Y.Z-pre")
        let changelog = try String(contentsOf: Self.root.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        #expect(changelog.contains("\n## [\(version)]"), "CHANGELOG.md has no section for \(version)")
    }

    /// A build anywhere resolves the same packages without Package.resolved: every dependency is an exact pin.
    @Test func everyPackageIsPinnedExactly() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let packages = manifest.split(separator: "\n").filter { $0.contains(".package(") }
        #expect(packages.count > 10)
        for line in packages { #expect(line.contains("exact: \""), "not pinned exactly: \(line)") }
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
