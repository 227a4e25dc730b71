import Foundation
import Testing
import TodoCore
@testable import TodoStorage
import TodoTestSupport

@Suite struct TaskStoreContractTests {
    @Test(arguments: StoreKind.available)
    func createdTaskReadsBackWithEveryField(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let due = Timestamp.parse("2026-12-01T09:00:00Z")!
            let created = try await store.createTask(
                try NewTask(title: "  Buy groceries ", description: "milk, eggs", priority: .high, tags: ["home", "errand"],
                            dueAt: due, recurrence: .weekly),
                userID: user.id
            )
            #expect(created.id > 0)
            #expect(created.title == "Buy groceries")
            let read = try await store.task(id: created.id, userID: user.id)
            #expect(read == created)
            #expect(read.tags == ["home", "errand"])
            #expect(read.dueAt == due)
            #expect(read.recurrence == .weekly)
            #expect(read.priority == .high)
            #expect(!read.completed)
            #expect(read.completedAt == nil)
        }
    }

    /// Text at its limits in code points (emoji with skin tones, combining accents) is stored on every backend:
    /// what the validation accepts, the database's CHECK constraints accept too.
    @Test(arguments: StoreKind.available)
    func textAtItsLimitsInCodePointsIsStored(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let title = String(repeating: "👍🏽", count: 100)
            let description = String(repeating: "e\u{301}", count: 500)
            let task = try await store.createTask(try NewTask(title: title, description: description), userID: user.id)
            let read = try await store.task(id: task.id, userID: user.id)
            #expect(read.title.unicodeScalars.elementsEqual(title.unicodeScalars))
            #expect(read.description.unicodeScalars.elementsEqual(description.unicodeScalars))
        }
    }

    @Test(arguments: StoreKind.available)
    func listingFiltersSortsAndLimits(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let early = Timestamp.parse("2026-12-01T09:00:00Z")!
            let late = Timestamp.parse("2026-12-10T09:00:00Z")!
            let milk = try await store.createTask(try NewTask(title: "Buy MILK", priority: .low, tags: ["home"], dueAt: late), userID: user.id)
            let report = try await store.createTask(try NewTask(title: "write report", description: "quarterly 100%", priority: .high, tags: ["work"], dueAt: early), userID: user.id)
            let call = try await store.createTask(try NewTask(title: "Call mom", priority: .medium), userID: user.id)
            _ = try await store.setTaskCompleted(id: call.id, completed: true, userID: user.id)

            func titles(_ query: TaskQuery) async throws -> [String] {
                try await store.tasks(matching: query, userID: user.id).map(\.title)
            }
            #expect(try await titles(TaskQuery()) == ["Buy MILK", "write report", "Call mom"])
            #expect(try await titles(TaskQuery(status: .pending)) == ["Buy MILK", "write report"])
            #expect(try await titles(TaskQuery(status: .completed)) == ["Call mom"])
            #expect(try await titles(TaskQuery(priority: .high)) == ["write report"])
            #expect(try await titles(TaskQuery(tag: "home")) == ["Buy MILK"])
            #expect(try await titles(TaskQuery(text: "milk")) == ["Buy MILK"])
            #expect(try await titles(TaskQuery(text: "QUARTERLY")) == ["write report"])
            #expect(try await titles(TaskQuery(text: "100%")) == ["write report"])
            #expect(try await titles(TaskQuery(text: "%")) == ["write report"])
            #expect(try await titles(TaskQuery(dueBefore: Timestamp.parse("2026-12-05T00:00:00Z"))) == ["write report"])
            #expect(try await titles(TaskQuery(dueAfter: Timestamp.parse("2026-12-05T00:00:00Z"))) == ["Buy MILK"])
            #expect(try await titles(TaskQuery(sort: .title)) == ["Buy MILK", "Call mom", "write report"])
            #expect(try await titles(TaskQuery(sort: .priority, order: .desc)) == ["write report", "Call mom", "Buy MILK"])
            #expect(try await titles(TaskQuery(sort: .due)) == ["write report", "Buy MILK", "Call mom"])
            #expect(try await titles(TaskQuery(sort: .created, order: .desc, limit: 2)) == ["Call mom", "write report"])
            #expect(milk.id != report.id)
        }
    }

    @Test(arguments: StoreKind.available)
    func patchChangesOnlyTheGivenFields(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let task = try await store.createTask(
                try NewTask(title: "Old", description: "keep me", tags: ["a"], dueAt: Timestamp.parse("2026-12-01T09:00:00Z")),
                userID: user.id
            )
            let updated = try await store.updateTask(
                id: task.id, with: try TaskPatch(title: "New title", priority: .high, dueAt: .some(nil)), userID: user.id
            )
            #expect(updated.title == "New title")
            #expect(updated.description == "keep me")
            #expect(updated.priority == .high)
            #expect(updated.tags == ["a"])
            #expect(updated.dueAt == nil)
            #expect(updated.updatedAt >= task.updatedAt)
            #expect(try await store.task(id: task.id, userID: user.id) == updated)
        }
    }

    @Test(arguments: StoreKind.available)
    func completingARecurringTaskCreatesItsNextOccurrence(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let due = Timestamp.parse("2026-12-01T09:00:00Z")!
            let task = try await store.createTask(try NewTask(title: "Water plants", dueAt: due, recurrence: .weekly), userID: user.id)

            let completion = try await store.setTaskCompleted(id: task.id, completed: true, userID: user.id)
            #expect(completion.task.completed)
            #expect(completion.task.completedAt != nil)
            let next = try #require(completion.nextOccurrence)
            #expect(next.title == "Water plants")
            #expect(!next.completed)
            #expect(next.dueAt == Timestamp.parse("2026-12-08T09:00:00Z"))
            #expect(next.recurrence == .weekly)

            let again = try await store.setTaskCompleted(id: task.id, completed: true, userID: user.id)
            #expect(again.nextOccurrence == nil, "completing twice must not create a second occurrence")
            let reopened = try await store.setTaskCompleted(id: task.id, completed: false, userID: user.id)
            #expect(!reopened.task.completed)
            #expect(reopened.task.completedAt == nil)
            #expect(try await store.tasks(matching: TaskQuery(), userID: user.id).count == 2)
        }
    }

    @Test(arguments: StoreKind.available)
    func aPatchThatChangesNothingWritesNothing(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let task = try await store.createTask(try NewTask(title: "Pay rent", priority: .high, tags: ["home"]), userID: user.id)
            let done = try await store.setTaskCompleted(id: task.id, completed: true, userID: user.id).task
            let eventsBefore = try await store.events(userID: user.id, after: 0, limit: 100).count

            // Completing again, or saving the same fields, is answered with the task as it is: same stamp, no event.
            let again = try await store.setTaskCompleted(id: task.id, completed: true, userID: user.id)
            #expect(again.task == done)
            #expect(again.nextOccurrence == nil)
            let same = try await store.updateTask(id: task.id, with: try TaskPatch(title: "Pay rent", priority: .high, tags: ["home"]), userID: user.id)
            #expect(same == done)
            #expect(try await store.events(userID: user.id, after: 0, limit: 100).count == eventsBefore)

            // One field that differs is a change like any other.
            let renamed = try await store.updateTask(id: task.id, with: try TaskPatch(title: "Pay the rent"), userID: user.id)
            #expect(renamed.title == "Pay the rent" && renamed.updatedAt >= done.updatedAt && renamed.completed)
            let events = try await store.events(userID: user.id, after: 0, limit: 100)
            #expect(events.count == eventsBefore + 1 && events.last?.kind == "task.updated")

            // The same words in another Unicode form (e and a combining accent for é) are a change: stored as sent.
            let decomposed = try await store.updateTask(id: task.id, with: try TaskPatch(title: "Pay the re\u{301}nt"), userID: user.id)
            let composed = try await store.updateTask(id: task.id, with: try TaskPatch(title: "Pay the r\u{E9}nt"), userID: user.id)
            #expect(decomposed.title.unicodeScalars.count == composed.title.unicodeScalars.count + 1)
            #expect(try await store.task(id: task.id, userID: user.id).title.unicodeScalars.elementsEqual("Pay the r\u{E9}nt".unicodeScalars))
            #expect(try await store.events(userID: user.id, after: 0, limit: 100).count == eventsBefore + 3)

            // Another user's id is still not found, not "unchanged".
            let bob = try await makeUser(store)
            await #expect(throws: TodoError.notFound(resource: "task", id: String(task.id))) {
                try await store.setTaskCompleted(id: task.id, completed: true, userID: bob.id)
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func aToggleFlipsWhatItReads(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let task = try await store.createTask(try NewTask(title: "Water plants", recurrence: .weekly), userID: user.id)
            let done = try await store.toggleTaskCompleted(id: task.id, userID: user.id)
            #expect(done.task.completed && done.nextOccurrence?.recurrence == .weekly)
            let reopened = try await store.toggleTaskCompleted(id: task.id, userID: user.id)
            #expect(!reopened.task.completed && reopened.task.completedAt == nil && reopened.nextOccurrence == nil)
            let bob = try await makeUser(store)
            await #expect(throws: TodoError.notFound(resource: "task", id: String(task.id))) {
                try await store.toggleTaskCompleted(id: task.id, userID: bob.id)
            }
            #expect(try await store.task(id: task.id, userID: user.id) == reopened.task)
        }
    }

    @Test(arguments: StoreKind.available)
    func racingTogglesNeverLoseTrackOfTheState(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let task = try await store.createTask(try NewTask(title: "Double click"), userID: user.id)
            let answers = try await withThrowingTaskGroup(of: TodoTask.self) { group in
                for _ in 0..<24 { group.addTask { try await store.toggleTaskCompleted(id: task.id, userID: user.id).task } }
                return try await group.reduce(into: [TodoTask]()) { $0.append($1) }
            }
            // Each real flip has one event; the state is the parity of the flips; every answer is a state the task had.
            let flips = try await store.events(userID: user.id, after: 0, limit: 100).filter { $0.kind != "task.created" }
            let final = try await store.task(id: task.id, userID: user.id)
            #expect(!flips.isEmpty && final.completed == !flips.count.isMultiple(of: 2))
            #expect(flips.last?.data == WireJSON.text(TaskEventData(task: final)))
            let states = Set(flips.map(\.data))
            #expect(answers.allSatisfy { states.contains(WireJSON.text(TaskEventData(task: $0))) })
        }
    }

    @Test(arguments: StoreKind.available)
    func eachChangeEventCarriesTheTaskItReturned(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            // Sub-millisecond times are kept to the millisecond, on every store alike. (Due in the future: reminder
            // tests running beside this one deliver every reminder that is due.)
            let due = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 + 2 * 86_400 + 0.123_456)
            let created = try await store.createTask(
                try NewTask(title: #"say "hi" 🎉"#, tags: ["a"], dueAt: due, recurrence: .daily, reminder: .before(minutes: 10)), userID: user.id
            )
            #expect(created.dueAt.map(Timestamp.formatMicroseconds) == Timestamp.formatMicroseconds(Timestamp.wholeMilliseconds(due)))
            let renamed = try await store.updateTask(id: created.id, with: try TaskPatch(title: "renamed", dueAt: .some(due.addingTimeInterval(60))), userID: user.id)
            let completion = try await store.setTaskCompleted(id: created.id, completed: true, userID: user.id)
            let next = try #require(completion.nextOccurrence)
            let events = try await store.events(userID: user.id, after: 0, limit: 100)
            #expect(events.map(\.kind) == ["task.created", "task.updated", "task.completed", "task.created"])
            let tasks = [created, renamed, completion.task, next]
            for (event, task) in zip(events, tasks) {
                #expect(event.data == WireJSON.text(TaskEventData(task: task)))
            }
            #expect(try await store.task(id: created.id, userID: user.id) == completion.task)
        }
    }

    @Test(arguments: StoreKind.available)
    func concurrentChangesToOneTaskAreNeitherLostNorDoubled(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let task = try await store.createTask(try NewTask(title: "shared"), userID: user.id)
            // Twenty writers change different fields of the same row at once: each change must survive.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<10 {
                    group.addTask { _ = try await store.updateTask(id: task.id, with: try TaskPatch(tags: ["t\(index)"]), userID: user.id) }
                    group.addTask {
                        _ = try await store.updateTask(id: task.id, with: try TaskPatch(description: "d\(index)"), userID: user.id)
                    }
                }
                group.addTask { _ = try await store.updateTask(id: task.id, with: try TaskPatch(priority: .high), userID: user.id) }
                group.addTask { _ = try await store.setTaskCompleted(id: task.id, completed: true, userID: user.id) }
                try await group.waitForAll()
            }
            let final = try await store.task(id: task.id, userID: user.id)
            #expect(final.priority == .high && final.completed && final.completedAt != nil)
            #expect(final.tags.count == 1 && final.tags[0].hasPrefix("t") && final.description.hasPrefix("d"))
            // Every change was a real one, so each has exactly one event, and the last event is the row as it is.
            let events = try await store.events(userID: user.id, after: 0, limit: 100)
            #expect(events.count == 1 + 22)
            #expect(events.last?.data == WireJSON.text(TaskEventData(task: final)))
        }
    }

    @Test(arguments: StoreKind.available)
    func deleteReturnsTheTaskAndRemovesIt(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let task = try await store.createTask(try NewTask(title: "Old task"), userID: user.id)
            let deleted = try await store.deleteTask(id: task.id, userID: user.id)
            #expect(deleted.title == "Old task")
            await #expect(throws: TodoError.notFound(resource: "task", id: String(task.id))) {
                try await store.task(id: task.id, userID: user.id)
            }
            await #expect(throws: TodoError.notFound(resource: "task", id: String(task.id))) {
                try await store.deleteTask(id: task.id, userID: user.id)
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func anotherUsersTaskIsInvisibleAndUntouchable(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let alice = try await makeUser(store, name: "Alice")
            let bob = try await makeUser(store, name: "Bob")
            let task = try await store.createTask(try NewTask(title: "Alice's secret"), userID: alice.id)
            let notFound = TodoError.notFound(resource: "task", id: String(task.id))

            await #expect(throws: notFound) { try await store.task(id: task.id, userID: bob.id) }
            await #expect(throws: notFound) { try await store.updateTask(id: task.id, with: try TaskPatch(title: "pwned"), userID: bob.id) }
            await #expect(throws: notFound) { try await store.setTaskCompleted(id: task.id, completed: true, userID: bob.id) }
            await #expect(throws: notFound) { try await store.deleteTask(id: task.id, userID: bob.id) }
            #expect(try await store.tasks(matching: TaskQuery(), userID: bob.id).isEmpty)
            #expect(try await store.task(id: task.id, userID: alice.id) == task)
        }
    }

    @Test(arguments: StoreKind.available)
    func aFailedTransactionLeavesNothingBehind(kind: StoreKind) async throws {
        struct Boom: Error {}
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            await #expect(throws: Boom.self) {
                try await store.database.transaction { executor in
                    try await executor.execute(
                        "INSERT INTO tasks (user_id, title, created_at, updated_at) VALUES ($1, $2, $3, $3)",
                        [.text(user.id), .text("half-written"), .date(Date())]
                    )
                    throw Boom()
                }
            }
            #expect(try await store.tasks(matching: TaskQuery(), userID: user.id).isEmpty)
        }
    }
}

@Suite struct TaskPaginationContractTests {
    /// Walks every sort and order page by page and checks the pages add up to the unpaged listing.
    @Test(arguments: StoreKind.available)
    func pagesCoverTheListingExactlyOnce(kind: StoreKind) async throws {
        try await withStore(kind) { migrated in
            let store = SQLStore(database: migrated.database, now: TickingClock().now)
            let user = try await makeUser(store)
            let titles = ["b", "A", "c", "a", "B", "d", "e"]
            for (index, title) in titles.enumerated() {
                let due = index % 3 == 0 ? nil : Timestamp.parse("2026-12-0\(1 + index % 2)T09:00:00Z")
                _ = try await store.createTask(
                    try NewTask(title: title, priority: [.low, .medium, .high][index % 3], dueAt: due), userID: user.id
                )
            }
            for sort in TaskQuery.Sort.allCases {
                for order in TaskQuery.Order.allCases {
                    let all = try await store.tasks(matching: TaskQuery(sort: sort, order: order), userID: user.id).map(\.id)
                    var paged: [Int64] = []
                    var cursor: TaskCursor?
                    repeat {
                        let page = try await store.taskPage(
                            matching: TaskQuery(sort: sort, order: order, limit: 2, after: cursor), userID: user.id
                        )
                        paged += page.tasks.map(\.id)
                        cursor = page.nextCursor.map { try! TaskCursor.decode($0.encoded) }
                        #expect(page.tasks.count <= 2)
                    } while cursor != nil
                    #expect(paged == all, "\(sort) \(order)")
                    #expect(all.count == titles.count)
                }
            }
        }
    }

    @Test func foreignOrMangledCursorsAreRejected() throws {
        #expect(throws: TodoError.self) { try TaskCursor.decode("not-a-cursor") }
        let cursor = TaskCursor(sort: .title, order: .asc, key: "a", id: 3)
        #expect(try TaskCursor.decode(cursor.encoded) == cursor)
        #expect(throws: TodoError.validation(field: "cursor", message: "cursor belongs to a listing with another sort or order")) {
            try TaskQuery(sort: .created, after: cursor)
        }
    }
}
