import Foundation
import Testing
import TodoAgent
import TodoCore
import TodoStorage
import TodoTestSupport

/// The offline agent on a real store: every everyday phrasing it promises, at a fixed "now" in Berlin.
@Suite struct OfflineAgentTests {
    /// Monday 30 November 2026, 10:00 in Berlin (09:00 UTC).
    static let now = Timestamp.parse("2026-11-30T09:00:00Z")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    static func say(_ message: String, _ store: SQLStore, _ user: String) async throws -> AgentAnswer {
        try await OfflineAgent(catalog: ToolCatalog(store: store))
            .run(AgentTurn(history: [], message: message, userID: user, now: now, timeZone: berlin)) { _ in }
    }

    static func add(_ store: SQLStore, _ user: String, _ title: String, due: String? = nil, done: Bool = false) async throws -> TodoTask {
        let task = try await store.createTask(try NewTask(title: title, dueAt: due.flatMap(Timestamp.parse)), userID: user)
        if done { _ = try await store.setTaskCompleted(id: task.id, completed: true, userID: user) }
        return task
    }

    @Test(arguments: [
        ("add Buy milk", "Buy milk", nil, nil, [String]()),
        ("add buy milk tomorrow", "buy milk", "2026-12-01T08:00:00.000Z", nil, []),
        ("Add call mom next friday at 5pm #family high priority", "call mom", "2026-12-04T16:00:00.000Z", "high", ["family"]),
        ("remind me to pay rent on 2026-12-03", "pay rent", "2026-12-03T08:00:00.000Z", nil, []),
        ("add water plants in 3 days, low priority", "water plants", "2026-12-03T08:00:00.000Z", "low", []),
        ("create a task to file taxes due today at 18:30 #admin", "file taxes", "2026-11-30T17:30:00.000Z", nil, ["admin"]),
        ("i need to book flights", "book flights", nil, nil, []),
    ] as [(String, String, String?, String?, [String])])
    func addingUnderstandsTitlesDatesPrioritiesAndTags(message: String, title: String, due: String?, priority: String?, tags: [String]) async throws {
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store).id
            let answer = try await Self.say(message, store, user)
            let tasks = try await store.tasks(matching: TaskQuery(), userID: user)
            #expect(tasks.map(\.title) == [title], "\(message)")
            #expect(tasks.first.flatMap { $0.dueAt.map(Timestamp.format) } == due, "\(message)")
            #expect(tasks.first?.priority == (priority.flatMap(Priority.init(rawValue:)) ?? .medium))
            #expect(tasks.first?.tags == tags)
            #expect(answer.text.hasPrefix("Added “\(title)” (#\(tasks.first?.id ?? 0))"), "\(answer.text)")
            #expect(answer.steps.map(\.call.name) == ["add_task"])
        }
    }

    @Test func listingShowsAllPendingCompletedAndWhatIsDueThisWeek() async throws {
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store).id
            _ = try await Self.add(store, user, "Buy milk", due: "2026-12-02T08:00:00Z")
            _ = try await Self.add(store, user, "Old chore", done: true)
            _ = try await Self.add(store, user, "Plan trip", due: "2026-12-20T08:00:00Z")
            let cases: [(String, [String], String)] = [
                ("show my tasks", ["Buy milk", "Old chore", "Plan trip"], "You have 3 tasks:"),
                ("what's pending?", ["Buy milk", "Plan trip"], "2 tasks (pending):"),
                ("show completed", ["Old chore"], "1 task (completed):"),
                ("what's due this week", ["Buy milk"], "1 task due this week:"),
                ("what is due tomorrow", [], "No tasks due tomorrow."),
            ]
            for (message, titles, heading) in cases {
                let answer = try await Self.say(message, store, user)
                #expect(answer.text.hasPrefix(heading), "\(message): \(answer.text)")
                for title in titles { #expect(answer.text.contains(title), "\(message): \(title)") }
                #expect(answer.text.split(separator: "\n").count == (titles.isEmpty ? 1 : titles.count + 1), "\(message): \(answer.text)")
                #expect(answer.steps.map(\.call.name) == ["list_tasks"])
            }
        }
    }

    @Test func completingDeletingAndRenamingByIdOrByWords() async throws {
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store).id
            let milk = try await Self.add(store, user, "Buy milk")
            let meeting = try await Self.add(store, user, "Team meeting notes")
            let report = try await Self.add(store, user, "Write report")
            let call = try await Self.add(store, user, "Call mom")

            #expect(try await Self.say("mark \(milk.id) done", store, user).text == "Marked “Buy milk” (#\(milk.id)) as done.")
            #expect(try await store.task(id: milk.id, userID: user).completed)
            #expect(try await Self.say("mark write report as done", store, user).text == "Marked “Write report” (#\(report.id)) as done.")
            #expect(try await Self.say("complete task \(call.id)", store, user).text.hasPrefix("Marked “Call mom”"))
            let deleted = try await Self.say("delete the meeting task", store, user)
            #expect(deleted.text == "Deleted “Team meeting notes” (#\(meeting.id)).")
            #expect(deleted.steps.map(\.call.name) == ["list_tasks", "delete_task"], "words are resolved to an id with list_tasks first")
            #expect(try await Self.say("rename task \(milk.id) to Buy oat milk", store, user).text == "Renamed #\(milk.id) to “Buy oat milk”.")
            #expect(try await Self.say("rename call mom to Call dad", store, user).text == "Renamed #\(call.id) to “Call dad”.")
            #expect(try await Self.say("delete \(report.id)", store, user).text == "Deleted “Write report” (#\(report.id)).")
            #expect(try await store.tasks(matching: TaskQuery(), userID: user).map(\.title).sorted() == ["Buy oat milk", "Call dad"])
        }
    }

    @Test func itMeansTheTaskTheConversationLastActedOn() async throws {
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store).id
            let service = ChatService(
                agent: OfflineAgent(catalog: ToolCatalog(store: store)), store: store, historyLimit: 40, turnTimeout: .seconds(10), logger: testLogger
            )
            let first = try await service.send("add buy milk tomorrow", conversationID: nil, userID: user) { _ in }
            let done = try await service.send("mark it done", conversationID: first.conversationID, userID: user) { _ in }
            #expect(done.response.hasPrefix("Marked “buy milk”"), "\(done.response)")
            #expect(try await store.tasks(matching: TaskQuery(status: .completed), userID: user).map(\.title) == ["buy milk"])
            let lost = try await Self.say("delete it", store, user)
            #expect(lost.text.hasPrefix("Which task do you mean?"), "without history there is nothing to refer to")
        }
    }

    @Test func unknownAmbiguousAndForeignTasksAreExplained() async throws {
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store).id
            let other = try await makeUser(store).id
            let theirs = try await Self.add(store, other, "Their secret")
            _ = try await Self.add(store, user, "Buy milk")
            _ = try await Self.add(store, user, "Buy bread")
            #expect(try await Self.say("complete \(theirs.id)", store, user).text == "No task \(theirs.id). Call list_tasks to see the ids.")
            #expect(try await Self.say("delete the dentist task", store, user).text.hasPrefix("I couldn't find a task matching “dentist”"))
            let ambiguous = try await Self.say("complete buy", store, user)
            #expect(ambiguous.text.hasPrefix("Several tasks match “buy”"), "\(ambiguous.text)")
            #expect(try await store.tasks(matching: TaskQuery(status: .completed), userID: user).isEmpty, "nothing was picked at random")
            let confused = try await Self.say("sing me a song", store, user)
            #expect(confused.text.hasPrefix("Sorry, I didn't understand that."))
            #expect(confused.text.contains("add buy milk tomorrow"))
            #expect(confused.steps.isEmpty)
            #expect(try await store.task(id: theirs.id, userID: other).completed == false)
        }
    }
}
