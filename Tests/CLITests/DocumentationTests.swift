import Foundation
import Testing
import TodoCore

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
}
