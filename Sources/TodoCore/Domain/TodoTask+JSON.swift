import Foundation

extension TodoTask: JSONWritable {
    /// The keys in byte order, as `WireJSON`'s sorted-keys encoder writes them.
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("completed", completed)
            json.field("completed_at", completedAt)
            json.field("created_at", createdAt)
            json.field("description", description)
            json.field("due_at", dueAt)
            json.field("id", id)
            json.field("priority", priority.rawValue)
            json.field("recurrence", recurrence?.rawValue)
            json.field("remind_at", remindAt)
            json.field("remind_before_minutes", remindBeforeMinutes)
            json.field("reminded_at", remindedAt)
            json.field("reminder_at", reminderAt)
            json.field("tags", tags)
            json.field("title", title)
            json.field("updated_at", updatedAt)
            json.field("user_id", userID)
        }
    }
}

extension Array: JSONWritable where Element == TodoTask {
    public func write(to json: inout JSONWriter) {
        json.array(self) { json, task in task.write(to: &json) }
    }
}
