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
            #expect(deleted.text == "Deleted “Team meeting notes” (#\(meeting.id)). Say “undo” to bring it back.")
            #expect(deleted.steps.map(\.call.name) == ["list_tasks", "delete_task"], "words are resolved to an id with list_tasks first")
            #expect(try await Self.say("rename task \(milk.id) to Buy oat milk", store, user).text == "Renamed #\(milk.id) to “Buy oat milk”.")
            #expect(try await Self.say("rename call mom to Call dad", store, user).text == "Renamed #\(call.id) to “Call dad”.")
            #expect(try await Self.say("delete #\(report.id)", store, user).text.hasPrefix("Deleted “Write report” (#\(report.id))."))
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
            #expect(try await Self.say("complete #\(theirs.id)", store, user).text == "I couldn't find task #\(theirs.id). Say “show my tasks” to see them.")
            #expect(try await Self.say("delete the dentist task", store, user).text.hasPrefix("I couldn't find a task matching “dentist”"))
            let ambiguous = try await Self.say("complete buy", store, user)
            #expect(ambiguous.text.hasPrefix("Which one do you mean?\n1. Buy milk"), "\(ambiguous.text)")
            #expect(try await store.tasks(matching: TaskQuery(status: .completed), userID: user).isEmpty, "nothing was picked at random")
            let confused = try await Self.say("sing me a song", store, user)
            #expect(confused.text.hasPrefix("Sorry, I can only help with your tasks"))
            #expect(confused.text.contains("add buy milk tomorrow"))
            #expect(confused.steps.isEmpty)
            #expect(try await store.task(id: theirs.id, userID: other).completed == false)
        }
    }

    /// The six sentences issue 19 found answered wrongly, each with what it must do now.
    @Test func theSentencesThatWentWrongNowDoTheRightThing() async throws {
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store).id
            _ = try await Self.say("please add call the plumber, high priority", store, user)
            var tasks = try await store.tasks(matching: TaskQuery(), userID: user)
            #expect(tasks.map(\.title) == ["call the plumber"] && tasks.first?.priority == .high)

            let plumber = try await Self.say("the plumber one is done", store, user)
            #expect(plumber.steps.map(\.call.name) == ["list_tasks", "complete_task"], "\(plumber.text)")
            #expect(try await store.task(id: tasks[0].id, userID: user).completed)

            let milk = try await Self.add(store, user, "buy milk")
            _ = try await Self.say("I finished buying milk", store, user)
            #expect(try await store.task(id: milk.id, userID: user).completed)

            let mom = try await Self.add(store, user, "call mom")
            let moved = try await Self.say("change the call mom task to saturday", store, user)
            let after = try await store.task(id: mom.id, userID: user)
            #expect(after.title == "call mom", "a date is never a new title: \(moved.text)")
            #expect(after.dueAt.map(Timestamp.format) == "2026-12-05T08:00:00.000Z", "Saturday 09:00 in Berlin")

            _ = try await Self.say("add: pay rent every month on the 1st #bills", store, user)
            tasks = try await store.tasks(matching: TaskQuery(text: "rent"), userID: user)
            #expect(tasks.map(\.title) == ["pay rent"])
            #expect(tasks.first?.recurrence == .monthly && tasks.first?.tags == ["bills"])
            #expect(tasks.first?.dueAt.map(Timestamp.format) == "2026-12-01T08:00:00.000Z")

            _ = try await Self.say("I need to remember to pay the electricity bill", store, user)
            #expect(try await store.tasks(matching: TaskQuery(text: "electricity"), userID: user).map(\.title) == ["pay the electricity bill"])
        }
    }

    /// Two candidates: a question with numbers, nothing changed, then the reply picks; a bulk delete waits for a
    /// yes; undo brings the tasks back. All through ChatService, so the memory is the stored conversation.
    @Test func askingWhichConfirmingAndUndoingAcrossTurns() async throws {
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store).id
            let now = Self.now
            let service = ChatService(
                agent: OfflineAgent(catalog: ToolCatalog(store: store)), store: store, historyLimit: 40, turnTimeout: .seconds(10),
                logger: testLogger, now: { now }
            )
            let bread = try await Self.add(store, user, "buy bread")
            let milk = try await Self.add(store, user, "buy milk")
            let first = try await service.send("complete the buy one", conversationID: nil, userID: user, timeZone: Self.berlin) { _ in }
            #expect(first.response.hasPrefix("Which one do you mean?\n1. buy bread (#\(bread.id))\n2. buy milk (#\(milk.id))"), "\(first.response)")
            #expect(try await store.tasks(matching: TaskQuery(status: .completed), userID: user).isEmpty)
            let chosen = try await service.send("the second one", conversationID: first.conversationID, userID: user, timeZone: Self.berlin) { _ in }
            #expect(chosen.response.hasPrefix("Marked “buy milk”"), "\(chosen.response)")
            let undone = try await service.send("undo", conversationID: first.conversationID, userID: user, timeZone: Self.berlin) { _ in }
            #expect(undone.response.contains("open again"), "\(undone.response)")
            #expect(try await store.task(id: milk.id, userID: user).completed == false)

            let bulk = try await service.send("delete everything", conversationID: first.conversationID, userID: user, timeZone: Self.berlin) { _ in }
            #expect(bulk.response.hasSuffix("Shall I go ahead? (yes/no)") && bulk.steps.map(\.call.name) == ["list_tasks"])
            let yes = try await service.send("yes", conversationID: first.conversationID, userID: user, timeZone: Self.berlin) { _ in }
            #expect(yes.steps.filter { $0.call.name == "delete_task" }.count == 2, "\(yes.response)")
            #expect(try await store.tasks(matching: TaskQuery(), userID: user).isEmpty)
            _ = try await service.send("undo", conversationID: first.conversationID, userID: user, timeZone: Self.berlin) { _ in }
            #expect(try await store.tasks(matching: TaskQuery(), userID: user).map(\.title).sorted() == ["buy bread", "buy milk"])
        }
    }

    /// Messages at the length limit built to make a pattern matcher backtrack: each is answered, and the deadline
    /// only guards against a hang.
    @Test func hostileMessagesAreAnsweredWithoutBacktrackingForever() async throws {
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store).id
            let service = ChatService(
                agent: OfflineAgent(catalog: ToolCatalog(store: store)), store: store, historyLimit: 40, turnTimeout: .seconds(60),
                logger: testLogger
            )
            let limit = ChatService.messageLimit
            func cut(_ text: String) -> String { String(text.prefix(limit)) }
            let messages = [
                cut("tag milk with " + String(repeating: "a and ", count: 600)) + "!",
                cut("add buy milk tagged " + String(repeating: "x and ", count: 700)),
                cut("add " + String(repeating: "on ", count: 1300)),
                cut(String(repeating: "the milk is ", count: 330)) + " done",
                cut("rename " + String(repeating: "to ", count: 1300)),
                cut(String(repeating: "every ", count: 660)),
                String(repeating: "🙂", count: 1000),
            ].map { String($0.prefix(limit)) }
            for message in messages {
                let summary = try await service.send(message, conversationID: nil, userID: user) { _ in }
                #expect(!summary.response.isEmpty)
            }
        }
    }
}
