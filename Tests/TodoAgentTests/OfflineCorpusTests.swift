import Foundation
import Testing
@testable import TodoAgent
import TodoCore
import TodoStorage
import TodoTestSupport

/// The phrasing corpus (OfflineCorpus.json): hundreds of messages written as people write them, each with the
/// tool calls it must make or the question it must ask, run through ChatService and the offline agent on every
/// store. At least 97% must pass, and every case that must not change data on a guess.
@Suite struct OfflineCorpusTests {
    static let corpusURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("OfflineCorpus.json")

    @Test(arguments: StoreKind.available.filter { $0 != .sqliteFile })
    func theCorpusIsUnderstood(kind: StoreKind) async throws {
        let corpus = try Corpus.load(Self.corpusURL)
        #expect(corpus.cases.count >= 300, "the corpus holds at least 300 utterances")
        try await withStore(kind) { store in
            var failures: [String] = []
            var safetyFailures = 0
            for entry in corpus.cases {
                if let failure = try await CorpusRunner(corpus: corpus, store: store).run(entry) {
                    failures.append("[\(entry.id)] \(failure)")
                    if entry.safety { safetyFailures += 1 }
                }
            }
            let passed = corpus.cases.count - failures.count
            let safety = corpus.cases.filter(\.safety).count
            let accuracy = Double(passed) / Double(corpus.cases.count) * 100
            print("offline corpus on \(kind.rawValue): \(passed)/\(corpus.cases.count) cases (\(String(format: "%.1f", accuracy))%), never-mutate-on-a-guess \(safety - safetyFailures)/\(safety)")
            for failure in failures { print("  ✗ \(failure)") }
            #expect(accuracy >= 97, "at least 97% of the corpus passes: \(failures.prefix(20).joined(separator: "\n"))")
            #expect(safetyFailures == 0, "every never-mutate-on-a-guess case passes")
        }
    }
}

/// The corpus file.
struct Corpus: Decodable {
    struct SetupTask: Decodable {
        var title: String
        var due_at: String?
        var priority: String?
        var tags: [String]?
        var completed: Bool?
        var recurrence: String?
        var description: String?
    }

    struct Call: Decodable {
        var tool: String
        var args: [String: JSONValue]?
    }

    struct Expect: Decodable {
        var calls: [Call]?
        var list: [String: [String]]?
        var reply: String?
        var options: [String]?
    }

    struct Turn: Decodable {
        var say: String
        var expect: Expect
    }

    struct Case: Decodable {
        var id: String
        var category: String
        var safety: Bool
        var setup: [SetupTask]?
        var turns: [Turn]
    }

    var now: String
    var time_zone: String
    var cases: [Case]

    static func load(_ url: URL) throws -> Corpus {
        try JSONDecoder().decode(Corpus.self, from: Data(contentsOf: url))
    }

    var zone: TimeZone { TimeZone(identifier: time_zone)! }
    var moment: Date { Timestamp.parse(now)! }

    /// "2026-12-01T09:00" in the corpus's zone.
    func local(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.date(from: text)
    }

    func localText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }
}

/// Runs one case in a conversation of a fresh user and says what went wrong, if anything.
struct CorpusRunner {
    let corpus: Corpus
    let store: SQLStore

    func run(_ entry: Corpus.Case) async throws -> String? {
        let user = try await makeUser(store).id
        var ids: [String: Int64] = [:]
        for task in entry.setup ?? [] {
            let created = try await store.createTask(
                try NewTask(
                    title: task.title, description: task.description ?? "", priority: task.priority.flatMap(Priority.init(rawValue:)) ?? .medium,
                    tags: task.tags ?? [], dueAt: task.due_at.flatMap(corpus.local), recurrence: task.recurrence.flatMap(Recurrence.init(rawValue:))
                ),
                userID: user
            )
            if task.completed == true { _ = try await store.setTaskCompleted(id: created.id, completed: true, userID: user) }
            ids[task.title.lowercased()] = created.id
        }
        let setupTitles = Set((entry.setup ?? []).map { $0.title.lowercased() })
        let moment = corpus.moment
        let service = ChatService(
            agent: OfflineAgent(catalog: ToolCatalog(store: store)), store: store, historyLimit: 40, turnTimeout: .seconds(30),
            logger: testLogger, now: { moment }
        )
        var conversation: Int64?
        for (number, turn) in entry.turns.enumerated() {
            let summary = try await service.send(turn.say, conversationID: conversation, userID: user, timeZone: corpus.zone) { _ in }
            conversation = summary.conversationID
            let changes = summary.steps.filter { $0.call.name != "list_tasks" }
            let problem = check(turn.expect, changes: changes, summary: summary, ids: ids, setupTitles: setupTitles)
            for step in changes where !step.result.isError {
                if step.call.name == "add_task" || step.call.name == "update_task",
                   let title = JSONValue.parse(step.call.arguments)?["title"]?.stringValue, case .int(let id)? = step.result.content["task_id"] {
                    ids[title.lowercased()] = id
                    if step.call.name == "add_task", let normalized = Optional(Self.normalized(title)) { ids[normalized] = id }
                }
            }
            if let problem {
                let got = changes.map { "\($0.call.name)\($0.call.arguments)" }.joined(separator: " ")
                return "turn \(number + 1) “\(turn.say)”: \(problem) — got [\(got)] “\(summary.response.prefix(160))”"
            }
        }
        return nil
    }

    static func normalized(_ title: String) -> String {
        title.lowercased().trimmingCharacters(in: CharacterSet.whitespaces.union(.punctuationCharacters).union(.symbols))
    }

    func check(_ expect: Corpus.Expect, changes: [ToolStep], summary: TurnSummary, ids: [String: Int64], setupTitles: Set<String>) -> String? {
        let response = summary.response
        if let shows = expect.list?["shows"] {
            guard changes.isEmpty else { return "a listing changed tasks" }
            guard summary.steps.contains(where: { $0.call.name == "list_tasks" }) else { return "no list_tasks call" }
            let shown = Set(OfflineMemory.listed(response).isEmpty ? [] : Self.shownTitles(response))
            let wanted = Set(shows.map { $0.lowercased() })
            return shown == wanted ? nil : "listed \(shown.sorted()) instead of \(wanted.sorted())"
        }
        if let reply = expect.reply {
            guard changes.isEmpty else { return "changed tasks where it should answer \(reply)" }
            let kind = Self.kind(of: response)
            if kind != reply { return "answered \(kind) instead of \(reply)" }
            for option in expect.options ?? [] where !response.lowercased().contains(option.lowercased()) { return "the question misses “\(option)”" }
            return nil
        }
        let expected = expect.calls ?? []
        guard expected.count == changes.count else { return "\(changes.count) changes instead of \(expected.count)" }
        var remaining = changes
        for call in expected {
            guard let index = remaining.firstIndex(where: { fits(call, $0, ids: ids) }) else {
                return "no call fits \(call.tool) \(call.args.map { JSONValue.object($0).text } ?? "{}")"
            }
            remaining.remove(at: index)
        }
        return nil
    }

    func fits(_ call: Corpus.Call, _ step: ToolStep, ids: [String: Int64]) -> Bool {
        guard step.call.name == call.tool, !step.result.isError, let actual = JSONValue.parse(step.call.arguments) else { return false }
        for (key, wanted) in call.args ?? [:] {
            let got = actual[key]
            switch (key, wanted) {
            case ("task_id", .string(let reference)) where reference.hasPrefix("@"):
                let title = String(reference.dropFirst()).lowercased()
                guard let id = ids[title] ?? ids[Self.normalized(title)], got == .int(id) else { return false }
            case ("due_at", .string("")):
                guard got == "" else { return false }
            case ("due_at", .string(let local)), ("remind_at", .string(let local)):
                guard let text = got?.stringValue, let date = Timestamp.parse(text), corpus.localText(date) == local else { return false }
            case ("title", .string(let title)), ("description", .string(let title)):
                guard let text = got?.stringValue, Self.normalized(text) == Self.normalized(title) else { return false }
            case ("tags", .array(let tags)):
                guard case .array(let values)? = got, Set(values.compactMap(\.stringValue)) == Set(tags.compactMap(\.stringValue)), values.count == tags.count else { return false }
            default:
                guard got == wanted else { return false }
            }
        }
        return true
    }

    /// The titles of the numbered lines of an answer.
    static func shownTitles(_ response: String) -> [String] {
        response.split(separator: "\n").compactMap { line -> String? in
            guard let dot = line.range(of: ". "), line.first?.isNumber == true, line.hasSuffix(")") else { return nil }
            var title = String(line[dot.upperBound...])
            if title.hasPrefix("✓ ") { title.removeFirst(2) }
            for separator in [" — due ", ", repeats ", " · ", " (#"] {
                if let range = title.range(of: separator) { title = String(title[..<range.lowerBound]) }
            }
            return title.lowercased()
        }
    }

    /// What kind of answer a text is, by the offline agent's own words.
    static func kind(of response: String) -> String {
        if response == OfflineReplies.help { return "help" }
        if response == OfflineReplies.unknown { return "unknown" }
        if response.hasPrefix("I can repeat a task") { return "unsupported" }
        if response.hasPrefix("I couldn't find") { return "not_found" }
        if response.contains("needs a due date") || response.contains("has no due date to count back from") { return "needs_due" }
        if response == OfflineReplies.cancelled || response.hasPrefix("Okay, I didn't add") || response == "Okay, nothing changed." { return "cancelled" }
        if [OfflineReplies.chooseSuffix, OfflineReplies.confirmSuffix, OfflineReplies.offerSuffix].contains(where: response.hasSuffix)
            || response == OfflineReplies.noReferent || response == OfflineReplies.noList {
            return "question"
        }
        return "smalltalk"
    }
}
