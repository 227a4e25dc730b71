import Foundation
import TodoCore

/// The offline agent's words: fixed answers, and tasks and lists as it shows them. A list numbers its lines and
/// ends each with the task's id, "2. Buy milk — due Wed, Dec 2, 09:00 (#14)", so a later "the second one" can be
/// read back from the conversation.
enum OfflineReplies {
    static let help = """
        I'm the offline assistant. I understand everyday sentences such as:
        • add call the plumber tomorrow at 5pm #home, high priority
        • remind me to pay rent every month on the 1st
        • what's due this week? / show completed / anything tagged work?
        • I finished buying milk / the plumber one is done
        • move the dentist to friday / make it urgent / rename 2 to call mom
        • delete the second one / clear completed / undo
        """
    static let unknown = """
        Sorry, I can only help with your tasks, and I didn't understand that. Try:
        • add buy milk tomorrow
        • what's due this week?
        • mark buy milk as done
        Say “help” for more.
        """
    static let chooseSuffix = "Reply with its number, or “cancel”."
    static let confirmSuffix = "Shall I go ahead? (yes/no)"
    static let offerSuffix = "Shall I add it as a task? (yes/no)"
    static let cancelled = "Okay, I left everything as it was."
    static let noReferent = "Which task do you mean? Say its name or number, or “show my tasks” to see them."
    static let tooMany = "You have more tasks than I can search by name. Use the task's number (#id), or narrow it down with “show tasks tagged …”."
    static let noList = "Which list do you mean? Say “show my tasks” first, then “the second one”."

    static func notFound(_ words: String) -> String {
        "I couldn't find a task matching “\(words)”. Say “show my tasks” to see them."
    }

    static func reminderNeedsDue(_ minutes: Int) -> String {
        "A reminder \(duration(minutes)) before needs a due date, so I added nothing. Say when it's due, e.g. “add call mom tomorrow at 5pm, remind me \(duration(minutes)) before”."
    }

    /// 30 → "30 minutes", 60 → "1 hour", 90 → "90 minutes", 1440 → "1 day".
    static func duration(_ minutes: Int) -> String {
        for (size, name) in [(10_080, "week"), (1440, "day"), (60, "hour")] where minutes % size == 0 {
            let count = minutes / size
            return "\(count) \(name)\(count == 1 ? "" : "s")"
        }
        return "\(minutes) minute\(minutes == 1 ? "" : "s")"
    }

    static func unsupported(_ what: String) -> String {
        "I can repeat a task daily, weekly (“every monday”) or monthly (“every month on the 1st”), but not “\(what)”. I haven't changed anything."
    }

    static func choose(_ tasks: [JSONValue], dates: DatePhrase) -> String {
        (["Which one do you mean?"] + numbered(tasks, dates: dates) + [chooseSuffix]).joined(separator: "\n")
    }

    static func details(priority: String?, tags: [String], due: Date?, recurrence: Recurrence?, dates: DatePhrase) -> String {
        var parts: [String] = []
        if let due { parts.append("due \(dates.readable(due))") }
        if let recurrence { parts.append("repeats \(recurrence.rawValue)") }
        if let priority { parts.append("\(priority) priority") }
        if !tags.isEmpty { parts.append("tagged " + tags.map { "#\($0)" }.joined(separator: " ")) }
        return parts.isEmpty ? "" : ", " + parts.joined(separator: ", ")
    }

    static func numbered(_ tasks: [JSONValue], dates: DatePhrase) -> [String] {
        tasks.enumerated().map { index, task in
            var line = "\(index + 1). \(task["completed"] == true ? "✓ " : "")\(oneLine(task["title"]?.stringValue ?? ""))"
            if let due = task["due_at"]?.stringValue, let date = Timestamp.parse(due) { line += " — due \(dates.readable(date))" }
            if let recurrence = task["recurrence"]?.stringValue { line += ", repeats \(recurrence)" }
            if let priority = task["priority"]?.stringValue, priority != "medium" { line += " · \(priority)" }
            if case .array(let tags)? = task["tags"], !tags.isEmpty { line += " · " + tags.compactMap(\.stringValue).map { "#\(oneLine($0))" }.joined(separator: " ") }
            return line + " (#\(task["id"]?.text ?? "?"))"
        }
    }

    static func describe(_ listed: JSONValue, label: String, dates: DatePhrase) -> String {
        guard case .array(let tasks) = listed, !tasks.isEmpty else {
            return label.isEmpty ? "You have no tasks. Try “add buy milk tomorrow”." : "No tasks \(label)."
        }
        let noun = tasks.count == 1 ? "task" : "tasks"
        let heading = label.isEmpty
            ? "You have \(tasks.count) \(noun):"
            : "\(tasks.count) \(noun) \(label.hasPrefix("due") || label == "overdue" || label.hasPrefix("matching") || label.hasPrefix("tagged") ? label : "(\(label))"):"
        return ([heading] + numbered(tasks, dates: dates)).joined(separator: "\n")
    }

    static func title(_ task: JSONValue) -> String { oneLine(task["title"]?.stringValue ?? "") }

    /// A title or tag on one line: a line break in it could otherwise pose as another numbered line.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0 }))
    }

    static func named(_ task: JSONValue) -> String { "“\(title(task))” (#\(task["id"]?.text ?? task["task_id"]?.text ?? "?"))" }
}
