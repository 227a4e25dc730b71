import Foundation
import Testing
import TodoCore
import TodoStorage
import TodoTestSupport

/// Deleted tasks are kept for undo: hidden from every read and change, restorable with their id and fields by their
/// owner within `TaskRules.restorableFor`, never reminded of, and purged after it.
@Suite struct DeletedTaskContractTests {
    @Test(arguments: StoreKind.available)
    func aDeletedTaskIsHiddenThenRestoredWithItsIdAndEveryField(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let other = try await makeUser(store)
            let task = try await store.createTask(
                try NewTask(title: "Renew passport", description: "form B", priority: .high, tags: ["admin"],
                            dueAt: Timestamp.parse("2030-03-01T09:00:00Z"), recurrence: .monthly, reminder: .before(minutes: 60)),
                userID: user.id
            )
            let notFound = TodoError.notFound(resource: "task", id: String(task.id))
            _ = try await store.deleteTask(id: task.id, userID: user.id)
            await #expect(throws: notFound) { try await store.task(id: task.id, userID: user.id) }
            await #expect(throws: notFound) { try await store.updateTask(id: task.id, with: try TaskPatch(title: "x"), userID: user.id) }
            await #expect(throws: notFound) { try await store.setTaskCompleted(id: task.id, completed: true, userID: user.id) }
            await #expect(throws: notFound) { try await store.deleteTask(id: task.id, userID: user.id) }
            #expect(try await store.tasks(matching: TaskQuery(), userID: user.id).isEmpty)
            #expect(try await store.tasks(matching: TaskQuery(text: "passport"), userID: user.id).isEmpty)

            let restoreNotFound = TodoError.notFound(resource: "deleted task", id: String(task.id))
            await #expect(throws: restoreNotFound) { try await store.restoreTask(id: task.id, userID: other.id) }
            let restored = try await store.restoreTask(id: task.id, userID: user.id)
            var expected = task
            expected.updatedAt = restored.updatedAt
            #expect(restored == expected, "same id, every field as it was")
            #expect(try await store.task(id: task.id, userID: user.id) == restored)
            await #expect(throws: restoreNotFound) { try await store.restoreTask(id: task.id, userID: user.id) }
        }
    }

    @Test(arguments: StoreKind.available)
    func pastTheWindowItCannotBeRestoredAndThePurgeRemovesIt(kind: StoreKind) async throws {
        // A database of its own: the purge removes every user's old deletions, other tests' included.
        try await withIsolatedStore(kind) { store in
            let user = try await makeUser(store)
            let kept = try await store.createTask(try NewTask(title: "Kept"), userID: user.id)
            let task = try await store.createTask(try NewTask(title: "Gone soon"), userID: user.id)
            _ = try await store.deleteTask(id: task.id, userID: user.id)
            let later = Date().addingTimeInterval(TaskRules.restorableFor + 3600)
            let future = SQLStore(database: store.database, now: { later })
            await #expect(throws: TodoError.notFound(resource: "deleted task", id: String(task.id))) {
                try await future.restoreTask(id: task.id, userID: user.id)
            }
            #expect(try await future.purgeDeletedTasks(before: later.addingTimeInterval(-TaskRules.restorableFor)) >= 1)
            let rows = try await store.database.query("SELECT id FROM tasks WHERE id = $1", [.int(task.id)])
            #expect(rows.isEmpty, "purged for good")
            #expect(try await store.task(id: kept.id, userID: user.id).title == "Kept", "a task not deleted is never purged")
            // A purge that comes early removes nothing still restorable.
            _ = try await store.deleteTask(id: kept.id, userID: user.id)
            _ = try await store.purgeDeletedTasks(before: Date().addingTimeInterval(-TaskRules.restorableFor))
            #expect(try await store.restoreTask(id: kept.id, userID: user.id).title == "Kept")
        }
    }

    @Test(arguments: StoreKind.available)
    func aDeletedTasksReminderNeverFires(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let soon = Date().addingTimeInterval(120)
            let task = try await store.createTask(try NewTask(title: "Call back", reminder: .at(soon)), userID: user.id)
            _ = try await store.deleteTask(id: task.id, userID: user.id)
            let claimed = try await store.claimDueReminders(now: soon.addingTimeInterval(60), lateAfter: 3600, limit: 1000, webhook: false)
            #expect(!claimed.contains { $0.task.id == task.id })
        }
    }
}
