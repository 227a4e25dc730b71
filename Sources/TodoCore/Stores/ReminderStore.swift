import Foundation

/// A reminder claimed for delivery: its task, the moment it was due, and whether it is delivered late.
public struct DueReminder: Sendable, Equatable {
    public var task: TodoTask
    public var reminderAt: Date
    public var late: Bool

    public init(task: TodoTask, reminderAt: Date, late: Bool) {
        self.task = task
        self.reminderAt = reminderAt
        self.late = late
    }

    /// The same for every attempt and replica, so a receiver can drop a repeat: task id and due moment.
    public var reminderID: String { "\(task.id)-\(Int64(reminderAt.timeIntervalSince1970))" }
}

/// A queued webhook call of a reminder, leased to the replica that sends it.
public struct WebhookDelivery: Sendable, Equatable {
    public var id: Int64
    public var taskID: Int64
    /// The JSON body, fixed when the reminder was claimed.
    public var body: String
    /// Attempts so far, this one included.
    public var attempts: Int

    public init(id: Int64, taskID: Int64, body: String, attempts: Int) {
        self.id = id
        self.taskID = taskID
        self.body = body
        self.attempts = attempts
    }
}

/// Due reminders and their webhook outbox. Claims are exactly-once across replicas (row locks skipped, not
/// waited for), so every replica can run the same loop.
public protocol ReminderStore: Sendable {
    /// In one transaction: claims up to `limit` reminders due by `now` that no one claimed, marks them
    /// delivered, logs a `reminder` event for each, and queues a webhook delivery when `webhook` is true.
    func claimDueReminders(now: Date, lateAfter: TimeInterval, limit: Int, webhook: Bool) async throws -> [DueReminder]
    /// Leases up to `limit` webhook deliveries due by `now` until `leaseUntil`, counting the attempt.
    func claimWebhookDeliveries(now: Date, leaseUntil: Date, limit: Int) async throws -> [WebhookDelivery]
    func webhookDelivered(id: Int64) async throws
    /// Records a failed attempt: tried again at `retryAt`, or dead-lettered when it is nil.
    func webhookFailed(id: Int64, error: String, retryAt: Date?) async throws
    /// Deletes finished deliveries older than `date`.
    func pruneWebhookDeliveries(before date: Date) async throws
}
