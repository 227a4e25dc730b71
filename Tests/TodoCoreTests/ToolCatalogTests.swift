import Foundation
import Testing
import TodoCore
import TodoStorage
import TodoTestSupport

@Suite struct ToolCatalogTests {
    @Test func theFiveToolsAreDefinedWithSchemas() throws {
        let catalog = ToolCatalog(store: UnusedStore())
        #expect(catalog.definitions.map(\.name) == ["add_task", "list_tasks", "complete_task", "delete_task", "update_task", "restore_task"])
        for definition in catalog.definitions {
            #expect(definition.inputSchema["type"] == "object")
            #expect(definition.inputSchema["properties"] != nil)
            #expect(definition.description.count > 20, "a description a model can use")
        }
        let required = Dictionary(uniqueKeysWithValues: catalog.definitions.map { ($0.name, $0.inputSchema["required"]) })
        #expect(required["add_task"] == ["title"])
        #expect(required["complete_task"] == ["task_id"])
        #expect(required["update_task"] == ["task_id"])
        #expect(catalog.definitions[1].inputSchema["required"] == nil, "list_tasks needs no argument")
    }

    @Test(arguments: StoreKind.available)
    func eachToolDoesItsJobAndAnswersInTheSpecsShape(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let catalog = ToolCatalog(store: store)
            let user = try await makeUser(store).id
            let added = await catalog.call(
                "add_task",
                arguments: ["title": "Buy groceries", "priority": "high", "tags": ["home"], "due_at": "2026-12-01T09:00:00Z", "recurrence": "weekly"],
                userID: user
            )
            #expect(!added.isError)
            guard case .int(let id)? = added.content["task_id"] else { Issue.record("no task_id: \(added.text)"); return }
            #expect(added.content == ["task_id": .int(id), "status": "created", "title": "Buy groceries"])
            let stored = try await store.task(id: id, userID: user)
            #expect(stored.tags == ["home"] && stored.priority == .high && stored.recurrence == .weekly)

            let listed = await catalog.call("list_tasks", arguments: ["status": "pending", "query": "grocer"], userID: user)
            guard case .array(let tasks) = listed.content else { Issue.record("not a list: \(listed.text)"); return }
            #expect(tasks.count == 1)
            #expect(tasks[0]["id"] == .int(id))
            #expect(tasks[0]["due_at"] == "2026-12-01T09:00:00.000Z")
            #expect(tasks[0]["user_id"] == nil, "the owner is never shown")

            let updated = await catalog.call("update_task", arguments: ["task_id": .int(id), "title": "Buy food"], userID: user)
            #expect(updated.content == ["task_id": .int(id), "status": "updated", "title": "Buy food"])

            // Models sometimes send ids as strings.
            let completed = await catalog.call("complete_task", arguments: ["task_id": .string(String(id))], userID: user)
            #expect(completed.content["status"] == "completed")
            #expect(completed.content["next_due_at"] == "2026-12-08T09:00:00.000Z")

            let deleted = await catalog.call("delete_task", arguments: ["task_id": .int(id)], userID: user)
            #expect(deleted.content == ["task_id": .int(id), "status": "deleted", "title": "Buy food"])
            let remaining = await catalog.call("list_tasks", arguments: nil, userID: user)
            guard case .array(let left) = remaining.content else { Issue.record("not a list: \(remaining.text)"); return }
            #expect(left.count == 1, "only the next occurrence is left")
            #expect(left.first?["title"] == "Buy food")
            #expect(left.first?["completed"] == false)

            // update_task reopens with completed: false, and "" removes a due date or a repeat.
            guard case .int(let next)? = left.first?["id"] else { return }
            _ = await catalog.call("complete_task", arguments: ["task_id": .int(next)], userID: user)
            let reopened = await catalog.call("update_task", arguments: ["task_id": .int(next), "completed": false, "due_at": "", "recurrence": ""], userID: user)
            #expect(!reopened.isError, "\(reopened.text)")
            let plain = try await store.task(id: next, userID: user)
            #expect(!plain.completed && plain.completedAt == nil && plain.dueAt == nil && plain.recurrence == nil)
            let wrong = await catalog.call("update_task", arguments: ["task_id": .int(next), "completed": "maybe"], userID: user)
            #expect(wrong.isError && wrong.text == "Argument 'completed' must be true or false.")
            #expect(left.first?["due_at"] == "2026-12-08T09:00:00.000Z")
        }
    }

    @Test(arguments: StoreKind.available)
    func mistakesComeBackAsErrorsAModelCanActOn(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let catalog = ToolCatalog(store: store)
            let user = try await makeUser(store).id
            let cases: [(String, JSONValue?, String)] = [
                ("add_task", [:], "Missing required argument 'title'."),
                ("add_task", ["title": 5], "Argument 'title' must be a string."),
                ("add_task", ["title": "   "], "title must be 1-200 characters"),
                ("add_task", ["title": "t", "priority": "urgent"], "priority must be one of low, medium, high"),
                ("add_task", ["title": "t", "due_at": "tomorrow"], "due_at must be an ISO-8601 date-time with a time zone, e.g. 2026-12-01T09:00:00Z"),
                ("add_task", "not an object", "Arguments must be a JSON object."),
                ("complete_task", ["task_id": 999_999], "No task 999999. Call list_tasks to see the ids."),
                ("complete_task", ["task_id": "three"], "Argument 'task_id' must be an integer."),
                ("delete_task", [:], "Missing required argument 'task_id'."),
                ("update_task", ["task_id": 1], "Nothing to update: give at least one of title, description, priority, tags, due_at, recurrence, completed, remind_at, remind_before_minutes."),
                ("list_tasks", ["status": "done"], "Argument 'status' must be one of all, pending, completed."),
                ("list_tasks", ["limit": 1000], "limit must be 1-200"),
                ("drop_tables", [:], "Unknown tool 'drop_tables'. Available tools: add_task, list_tasks, complete_task, delete_task, update_task, restore_task."),
            ]
            for (name, arguments, message) in cases {
                let result = await catalog.call(name, arguments: arguments, userID: user)
                #expect(result.isError, "\(name) \(arguments?.text ?? "nil")")
                #expect(result.text == message)
            }
            #expect(try await store.tasks(matching: TaskQuery(), userID: user).isEmpty, "no failed call wrote anything")
        }
    }

    @Test(arguments: StoreKind.available)
    func theUserIsAlwaysTheAuthenticatedOne(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let catalog = ToolCatalog(store: store)
            let ada = try await makeUser(store).id
            let eve = try await makeUser(store).id
            let planted = await catalog.call("add_task", arguments: ["title": "Eve's", "user_id": .string(ada)], userID: eve)
            guard case .int(let id)? = planted.content["task_id"] else { Issue.record("\(planted.text)"); return }
            #expect(try await store.tasks(matching: TaskQuery(), userID: ada).isEmpty, "user_id in the arguments is ignored")
            #expect(try await store.task(id: id, userID: eve).title == "Eve's")

            let aliceTask = try await store.createTask(try NewTask(title: "Ada's secret"), userID: ada)
            for name in ["complete_task", "delete_task"] {
                let result = await catalog.call(name, arguments: ["task_id": .int(aliceTask.id), "user_id": .string(ada)], userID: eve)
                #expect(result.text == "No task \(aliceTask.id). Call list_tasks to see the ids.")
            }
            let update = await catalog.call("update_task", arguments: ["task_id": .int(aliceTask.id), "title": "pwned"], userID: eve)
            #expect(update.isError)
            let listed = await catalog.call("list_tasks", arguments: ["user_id": .string(ada)], userID: eve)
            #expect(!listed.text.contains("secret"))
            #expect(try await store.task(id: aliceTask.id, userID: ada) == aliceTask)
        }
    }

    @Test(arguments: StoreKind.available)
    func remindersAreSetMovedAndClearedThroughTheTools(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let catalog = ToolCatalog(store: store)
            let user = try await makeUser(store).id
            let orphan = await catalog.call("add_task", arguments: ["title": "No due", "remind_before_minutes": 30], userID: user)
            #expect(orphan.isError && orphan.text.contains("needs a due date"), "\(orphan.text)")
            let both = await catalog.call(
                "add_task", arguments: ["title": "Both", "due_at": "2030-01-01T09:00:00Z", "remind_at": "2030-01-01T08:00:00Z", "remind_before_minutes": 30],
                userID: user
            )
            #expect(both.isError)
            #expect(try await store.tasks(matching: TaskQuery(), userID: user).isEmpty, "no refused call wrote anything")
            let added = await catalog.call(
                "add_task", arguments: ["title": "Call", "due_at": "2030-01-01T09:00:00Z", "remind_before_minutes": 30], userID: user
            )
            guard case .int(let id)? = added.content["task_id"] else { Issue.record("\(added.text)"); return }
            #expect(try await store.task(id: id, userID: user).reminderAt == Timestamp.parse("2030-01-01T08:30:00Z"))
            let listed = await catalog.call("list_tasks", arguments: [:], userID: user)
            #expect(listed.text.contains(#""remind_before_minutes":30"#), "\(listed.text)")
            _ = await catalog.call("update_task", arguments: ["task_id": .int(id), "remind_at": "2029-12-31T20:00:00Z"], userID: user)
            let moved = try await store.task(id: id, userID: user)
            #expect(moved.reminder == .at(Timestamp.parse("2029-12-31T20:00:00Z")!))
            _ = await catalog.call("update_task", arguments: ["task_id": .int(id), "remind_at": ""], userID: user)
            #expect(try await store.task(id: id, userID: user).reminder == nil)
        }
    }
}

/// A store for tests that never touch it.
private struct UnusedStore: TaskStore {
    func createTask(_ task: NewTask, userID: String) async throws -> TodoTask { throw TodoError.unavailable("unused") }
    func task(id: Int64, userID: String) async throws -> TodoTask { throw TodoError.unavailable("unused") }
    func tasks(matching query: TaskQuery, userID: String) async throws -> [TodoTask] { [] }
    func taskPage(matching query: TaskQuery, userID: String) async throws -> TaskPage { TaskPage(tasks: [], nextCursor: nil) }
    func updateTask(id: Int64, with patch: TaskPatch, userID: String) async throws -> TodoTask { throw TodoError.unavailable("unused") }
    func setTaskCompleted(id: Int64, completed: Bool, userID: String) async throws -> TaskCompletion { throw TodoError.unavailable("unused") }
    func toggleTaskCompleted(id: Int64, userID: String) async throws -> TaskCompletion { throw TodoError.unavailable("unused") }
    func deleteTask(id: Int64, userID: String) async throws -> TodoTask { throw TodoError.unavailable("unused") }
    func restoreTask(id: Int64, userID: String) async throws -> TodoTask { throw TodoError.unavailable("unused") }
    func purgeDeletedTasks(before date: Date) async throws -> Int { 0 }
}
