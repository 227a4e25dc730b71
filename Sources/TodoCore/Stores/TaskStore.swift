import Foundation

/// The outcome of completing or reopening a task.
public struct TaskCompletion: Sendable, Equatable {
    /// The task after the change.
    public var task: TodoTask
    /// The next occurrence created when a recurring task was completed.
    public var nextOccurrence: TodoTask?

    public init(task: TodoTask, nextOccurrence: TodoTask? = nil) {
        self.task = task
        self.nextOccurrence = nextOccurrence
    }
}

/// Persistence of tasks. Every method is scoped to `userID`: another user's task is `notFound`.
public protocol TaskStore: Sendable {
    func createTask(_ task: NewTask, userID: String) async throws -> TodoTask
    func task(id: Int64, userID: String) async throws -> TodoTask
    func tasks(matching query: TaskQuery, userID: String) async throws -> [TodoTask]
    /// A page of `query.limit` tasks after `query.after`, with the cursor of the next page when there is one.
    func taskPage(matching query: TaskQuery, userID: String) async throws -> TaskPage
    func updateTask(id: Int64, with patch: TaskPatch, userID: String) async throws -> TodoTask
    /// Sets the completion state; completing a recurring task also creates its next occurrence atomically.
    func setTaskCompleted(id: Int64, completed: Bool, userID: String) async throws -> TaskCompletion
    /// Completes the task if it is open, reopens it if it is completed (as read at the call): `setTaskCompleted` with
    /// the opposite of what it reads, so two toggles racing each other leave it toggled once, never toggled back.
    func toggleTaskCompleted(id: Int64, userID: String) async throws -> TaskCompletion
    /// Deletes the task and returns it as it was. It stays restorable for `TaskRules.restorableFor`.
    func deleteTask(id: Int64, userID: String) async throws -> TodoTask
    /// Brings back a task deleted within `TaskRules.restorableFor`, with its id and every field; `notFound` else.
    func restoreTask(id: Int64, userID: String) async throws -> TodoTask
    /// Removes for good the tasks deleted before `date`; returns how many.
    func purgeDeletedTasks(before date: Date) async throws -> Int
    /// The stamp of the user's tasks as of now, taken before reading them: a page read after it may be served again
    /// while this returns the same stamp. Nil when the store cannot see every change now (then nothing is reused).
    func taskChangeStamp(userID: String) async -> ChangeStamp?
}

extension TaskStore {
    /// A store without change tracking: every read goes to it.
    public func taskChangeStamp(userID: String) async -> ChangeStamp? { nil }
}
