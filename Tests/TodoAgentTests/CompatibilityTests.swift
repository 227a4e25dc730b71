import Foundation
import Testing
@testable import TodoAgent
import TodoCore
import TodoTestSupport

/// The compatibility suite: every recorded reply in `Compatibility/<server>/` served over loopback HTTP to the real
/// client, which must read exactly what its `.expect.json` says (see `Compatibility/README.md`).
@Suite(.heavy) struct CompatibilityTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Compatibility")

    struct Fixture: CustomTestStringConvertible, Sendable {
        let server: String
        let name: String
        let contentType: String
        let body: String
        let expect: JSONValue
        var testDescription: String { "\(server)/\(name)" }
    }

    static let fixtures: [Fixture] = {
        let files = FileManager.default
        var fixtures: [Fixture] = []
        for server in ((try? files.contentsOfDirectory(atPath: directory.path)) ?? []).sorted() {
            let folder = directory.appendingPathComponent(server)
            for file in ((try? files.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where file.hasSuffix(".expect.json") {
                let name = String(file.dropLast(".expect.json".count))
                let stream = folder.appendingPathComponent(name + ".sse")
                let whole = folder.appendingPathComponent(name + ".json")
                let isStream = files.fileExists(atPath: stream.path)
                guard let body = try? String(contentsOf: isStream ? stream : whole, encoding: .utf8),
                      let expect = (try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)).flatMap(JSONValue.parse)
                else { continue }
                fixtures.append(Fixture(
                    server: server, name: name, contentType: isStream ? "text/event-stream" : "application/json", body: body, expect: expect
                ))
            }
        }
        return fixtures
    }()

    @Test func everyServerOfTheREADMEHasFixtures() {
        let servers = Set(Self.fixtures.map(\.server))
        #expect(servers == ["openai", "azure", "gemini", "ollama", "vllm", "llamacpp", "lmstudio", "groq"])
        #expect(Self.fixtures.count >= 24)
    }

    @Test(arguments: CompatibilityTests.fixtures)
    func theClientReadsWhatTheServerSent(_ fixture: Fixture) async throws {
        let llm = ScriptedLLM([.raw(contentType: fixture.contentType, body: fixture.body)])
        try await llm.serve { baseURL in
            let client = OpenAIChatClient(
                OpenAIConfiguration(baseURL: baseURL, apiKey: "sk-test", model: "m", maxRetries: 0), logger: testLogger
            )
            defer { Task { try? await client.shutdown() } }
            let streamed = Streamed()
            let expect = fixture.expect
            do {
                let reply = try await client.complete([.user("hi")], tools: []) { streamed.add($0) }
                #expect(expect["error"] == nil, "expected an error")
                if let text = expect["text"]?.stringValue {
                    #expect(reply.text == text)
                    #expect(streamed.text == text, "the text reached the caller as it streamed")
                }
                let calls = expect["tool_calls"]?.arrayValue ?? []
                #expect(reply.toolCalls.count == calls.count, "\(reply.toolCalls)")
                for (call, wanted) in zip(reply.toolCalls, calls) {
                    #expect(call.name == wanted["name"]?.stringValue)
                    if let id = wanted["id"]?.stringValue { #expect(call.id == id) } else { #expect(!call.id.isEmpty) }
                    switch wanted["arguments"] {
                    case .string(let raw)?: #expect(call.arguments == raw)
                    case let object?: #expect(JSONValue.parse(call.arguments) == object, "\(call.arguments)")
                    case nil: break
                    }
                    #expect(call.extraContent == wanted["extra_content"])
                }
                if Set(calls.compactMap { $0["id"]?.stringValue }).count == calls.count {
                    #expect(Set(reply.toolCalls.map(\.id)).count == reply.toolCalls.count, "two calls never share an id")
                }
                let finish: FinishReason? = switch expect["finish"]?.stringValue {
                case "length": .length
                case "content_filter": .contentFilter
                case "complete": .complete
                default: nil
                }
                #expect(reply.finishReason == finish)
                let usage = expect["usage"].map { TokenUsage(prompt: Int($0["prompt"]?.intValue ?? -1), completion: Int($0["completion"]?.intValue ?? -1)) }
                #expect(reply.usage == usage)
            } catch let error as ModelError {
                let wanted = try #require(expect["error"]?.stringValue, "unexpected failure: \(error.message)")
                #expect(error.message.contains(wanted), "\(error.message)")
            }
        }
    }

    final class Streamed: @unchecked Sendable {
        private let lock = NSLock()
        private var pieces: [String] = []
        func add(_ piece: String) { lock.withLock { pieces.append(piece) } }
        var text: String { lock.withLock { pieces.joined() } }
    }
}
