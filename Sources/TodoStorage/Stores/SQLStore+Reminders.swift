import Foundation
import TodoCore

extension SQLStore: ReminderStore {
    /// Marks reminders sent, which changes their tasks: counted for each user (a failed claim was rolled back).
    public func claimDueReminders(now: Date, lateAfter: TimeInterval, limit: Int, webhook: Bool) async throws -> [DueReminder] {
        let claimed = try await claimReminders(now: now, lateAfter: lateAfter, limit: limit, webhook: webhook)
        for userID in Set(claimed.map(\.task.userID)) { database.changes.changed(scope: userID) }
        return claimed
    }

    private func claimReminders(now: Date, lateAfter: TimeInterval, limit: Int, webhook: Bool) async throws -> [DueReminder] {
        try await database.transaction { executor in
            let rows = try await executor.query(
                """
                UPDATE tasks SET reminded_at = $1 WHERE id IN (
                    SELECT id FROM tasks WHERE reminder_at <= $1 AND reminded_at IS NULL AND completed = false AND deleted_at IS NULL
                    ORDER BY reminder_at LIMIT $2\(executor.claimLock)
                ) RETURNING \(Self.taskColumns)
                """,
                [.date(now), .int(Int64(limit))]
            )
            let tasks = try rows.map(Self.task(from:)).sorted { ($0.reminderAt ?? now, $0.id) < ($1.reminderAt ?? now, $1.id) }
            guard !tasks.isEmpty else { return [] }
            let users = webhook ? try await Self.contacts(executor, Set(tasks.map(\.userID))) : [:]
            var claimed: [DueReminder] = []
            for task in tasks {
                let due = task.reminderAt ?? now
                let reminder = DueReminder(task: task, reminderAt: due, late: now.timeIntervalSince(due) > lateAfter)
                try await Self.record(executor, "reminder", userID: task.userID, data: WireJSON.text(ReminderWire(reminder)), stamp: now)
                if webhook {
                    try await executor.execute(
                        """
                        INSERT INTO reminder_deliveries (user_id, task_id, body, attempts, next_attempt_at, created_at)
                        VALUES ($1, $2, $3, 0, $4, $4)
                        """,
                        [.text(task.userID), .int(task.id), .text(WireJSON.text(ReminderWire(reminder, user: users[task.userID]))), .date(now)]
                    )
                }
                claimed.append(reminder)
            }
            return claimed
        }
    }

    /// Who a webhook reminder is for, so a receiver can e-mail them.
    static func contacts(_ executor: any SQLExecutor, _ ids: Set<String>) async throws -> [String: ReminderWire.Contact] {
        let binds = ids.map(SQLValue.text)
        var contacts: [String: ReminderWire.Contact] = [:]
        for row in try await executor.query(#"SELECT "id", "name", "email" FROM "user" WHERE "id" IN (\#(placeholders(binds, from: 1)))"#, binds) {
            let id = try row.string("id")
            contacts[id] = ReminderWire.Contact(id: id, name: try row.string("name"), email: try row.string("email"))
        }
        return contacts
    }

    public func claimWebhookDeliveries(now: Date, leaseUntil: Date, limit: Int) async throws -> [WebhookDelivery] {
        try await database.query(
            """
            UPDATE reminder_deliveries SET lease_until = $2, attempts = attempts + 1 WHERE id IN (
                SELECT id FROM reminder_deliveries WHERE delivered_at IS NULL AND dead_at IS NULL AND next_attempt_at <= $1
                AND (lease_until IS NULL OR lease_until < $1) ORDER BY next_attempt_at LIMIT $3\(database.claimLock)
            ) RETURNING id, task_id, body, attempts
            """,
            [.date(now), .date(leaseUntil), .int(Int64(limit))]
        ).map { row in
            WebhookDelivery(id: try row.int("id"), taskID: try row.int("task_id"), body: try row.string("body"), attempts: Int(try row.int("attempts")))
        }
    }

    public func webhookDelivered(id: Int64) async throws {
        try await database.execute(
            "UPDATE reminder_deliveries SET delivered_at = $1, lease_until = NULL, last_error = NULL WHERE id = $2", [.date(now()), .int(id)]
        )
    }

    public func webhookFailed(id: Int64, error: String, retryAt: Date?) async throws {
        if let retryAt {
            try await database.execute(
                "UPDATE reminder_deliveries SET next_attempt_at = $1, lease_until = NULL, last_error = $2 WHERE id = $3",
                [.date(retryAt), .text(error), .int(id)]
            )
        } else {
            try await database.execute(
                "UPDATE reminder_deliveries SET dead_at = $1, lease_until = NULL, last_error = $2 WHERE id = $3", [.date(now()), .text(error), .int(id)]
            )
        }
    }

    public func pruneWebhookDeliveries(before date: Date) async throws {
        try await database.execute(
            "DELETE FROM reminder_deliveries WHERE (delivered_at IS NOT NULL AND delivered_at < $1) OR (dead_at IS NOT NULL AND dead_at < $1)",
            [.date(date)]
        )
    }
}

/// A reminder as `/api/events` and the webhook show it.
struct ReminderWire: Encodable {
    struct Contact: Encodable {
        let id: String
        let name: String
        let email: String
    }

    let type = "reminder"
    let reminderID: String
    let task: TodoTask
    let reminderAt: Date
    let late: Bool
    let user: Contact?

    init(_ reminder: DueReminder, user: Contact? = nil) {
        reminderID = reminder.reminderID
        task = reminder.task
        reminderAt = reminder.reminderAt
        late = reminder.late
        self.user = user
    }

    enum CodingKeys: String, CodingKey {
        case type, task, late, user
        case reminderID = "reminder_id"
        case reminderAt = "reminder_at"
    }
}
