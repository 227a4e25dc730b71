import Foundation
import TodoCore

/// The agent without a language model: a deterministic reading of everyday sentences that calls the same tools
/// and emits the same events. It makes the quick start and the tests work offline, and says what it can do when
/// it does not understand.
public struct OfflineAgent: Agent {
    let catalog: ToolCatalog

    public init(catalog: ToolCatalog) {
        self.catalog = catalog
    }

    public var label: String { "offline" }

    static let help = """
        I'm the offline assistant, so I understand simple sentences like:
        • add buy milk tomorrow #home high priority
        • show my tasks / what's pending / show completed / what's due this week
        • complete 3 / mark buy milk as done
        • delete 3 / delete the meeting task
        • rename task 1 to call mom
        """

    public func run(_ turn: AgentTurn, emit: @escaping @Sendable (AgentEvent) async -> Void) async throws -> AgentAnswer {
        var session = Session(catalog: catalog, userID: turn.userID, emit: emit, recent: Self.lastMentionedTask(turn.history))
        let dates = DatePhrase(now: turn.now, timeZone: turn.timeZone)
        let text: String
        switch OfflineIntent.parse(turn.message, dates: dates) {
        case .help:
            text = Self.help
        case .unknown:
            text = "Sorry, I didn't understand that. " + Self.help
        case .add(let title, let priority, let tags, let due):
            var arguments: [String: JSONValue] = ["title": .string(title)]
            if let priority { arguments["priority"] = .string(priority) }
            if !tags.isEmpty { arguments["tags"] = .array(tags.map(JSONValue.string)) }
            if let due { arguments["due_at"] = .string(dates.format(due)) }
            let result = await session.call("add_task", .object(arguments))
            text = result.isError ? result.text : "Added “\(title)” (#\(result.content["task_id"]?.text ?? "?"))\(Self.details(priority: priority, tags: tags, due: due, dates: dates))."
        case .list(let listing):
            var arguments: [String: JSONValue] = ["status": .string(listing.status), "sort": listing.dueBefore == nil ? "created" : "due"]
            if let before = listing.dueBefore { arguments["due_before"] = .string(dates.format(before)) }
            if let after = listing.dueAfter { arguments["due_after"] = .string(dates.format(after)) }
            let result = await session.call("list_tasks", .object(arguments))
            text = result.isError ? result.text : Self.describe(result.content, label: listing.label, dates: dates)
        case .complete(let ref):
            text = await session.act(on: ref, status: "pending", tool: "complete_task") { outcome in
                var line = "Marked “\(outcome["title"]?.stringValue ?? "")” (#\(outcome["task_id"]?.text ?? "?")) as done."
                if let next = outcome["next_task_id"] { line += " Its next occurrence is #\(next.text)." }
                return line
            }
        case .delete(let ref):
            text = await session.act(on: ref, status: "all", tool: "delete_task") { outcome in
                "Deleted “\(outcome["title"]?.stringValue ?? "")” (#\(outcome["task_id"]?.text ?? "?"))."
            }
        case .rename(let ref, let title):
            text = await session.act(on: ref, status: "all", tool: "update_task", extra: ["title": .string(title)]) { outcome in
                "Renamed #\(outcome["task_id"]?.text ?? "?") to “\(outcome["title"]?.stringValue ?? title)”."
            }
        }
        await emit(.textDelta(text))
        return AgentAnswer(text: text, steps: session.steps)
    }

    static func details(priority: String?, tags: [String], due: Date?, dates: DatePhrase) -> String {
        var parts: [String] = []
        if let due { parts.append("due \(readable(due, dates: dates))") }
        if let priority { parts.append("\(priority) priority") }
        if !tags.isEmpty { parts.append("tagged " + tags.map { "#\($0)" }.joined(separator: " ")) }
        return parts.isEmpty ? "" : ", " + parts.joined(separator: ", ")
    }

    static func readable(_ date: Date, dates: DatePhrase) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = dates.calendar.timeZone
        formatter.dateFormat = "EEE, MMM d, HH:mm"
        return formatter.string(from: date)
    }

    static func describe(_ listed: JSONValue, label: String, dates: DatePhrase) -> String {
        guard case .array(let tasks) = listed, !tasks.isEmpty else {
            return label.isEmpty ? "You have no tasks. Try “add buy milk tomorrow”." : "No tasks \(label)."
        }
        let noun = tasks.count == 1 ? "task" : "tasks"
        let heading = label.isEmpty ? "You have \(tasks.count) \(noun):" : "\(tasks.count) \(noun) \(label.hasPrefix("due") || label == "overdue" ? label : "(\(label))"):"
        let lines = tasks.map { task -> String in
            let mark = task["completed"] == true ? "✓" : "•"
            var line = "\(mark) #\(task["id"]?.text ?? "?") \(task["title"]?.stringValue ?? "")"
            if let due = task["due_at"]?.stringValue, let date = Timestamp.parse(due) { line += " — due \(readable(date, dates: dates))" }
            if let priority = task["priority"]?.stringValue, priority != "medium" { line += " (\(priority))" }
            return line
        }
        return ([heading] + lines).joined(separator: "\n")
    }

    /// The task the latest tool result in the history names: one a tool acted on, or the only one listed.
    static func lastMentionedTask(_ history: [ChatMessage]) -> Int64? {
        for message in history.reversed() where message.role == .tool {
            guard let result = JSONValue.parse(message.content) else { continue }
            if case .int(let id)? = result["task_id"] { return id }
            if case .array(let items) = result, items.count == 1, case .int(let id)? = items[0]["id"] { return id }
        }
        return nil
    }

    /// The tool calls of one offline turn, reported as the model agent reports its own.
    struct Session {
        static let pronouns: Set<String> = ["it", "that", "this", "that one", "this one", "the last one", "last one"]

        let catalog: ToolCatalog
        let userID: String
        let emit: @Sendable (AgentEvent) async -> Void
        /// The task the conversation last acted on, for "it" and "that".
        let recent: Int64?
        var steps: [ToolStep] = []

        mutating func call(_ name: String, _ arguments: JSONValue) async -> ToolResult {
            let call = ToolCall(id: "offline_\(steps.count + 1)", name: name, arguments: arguments.text)
            await emit(.toolCall(call))
            let result = await catalog.call(name, arguments: arguments, userID: userID)
            let step = ToolStep(call: call, result: result)
            steps.append(step)
            await emit(.toolResult(step))
            return result
        }

        /// Resolves the task (by id, or by words through list_tasks) and runs the tool on it.
        mutating func act(
            on ref: OfflineIntent.TaskRef, status: String, tool: String, extra: [String: JSONValue] = [:],
            describe: (JSONValue) -> String
        ) async -> String {
            let id: Int64
            switch ref {
            case .id(let given):
                id = given
            case .words(let words) where Self.pronouns.contains(words.lowercased()):
                guard let recent else { return "Which task do you mean? Say its number, e.g. “complete 3”, or “show my tasks”." }
                id = recent
            case .words(let words):
                let found = await call("list_tasks", ["query": .string(words), "status": .string(status), "limit": 10])
                guard !found.isError, case .array(let matches) = found.content else { return found.text }
                guard let first = matches.first, case .int(let only)? = first["id"] else {
                    return "I couldn't find a task matching “\(words)”. Say “show my tasks” to see them."
                }
                guard matches.count == 1 else {
                    let options = matches.map { "#\($0["id"]?.text ?? "?") \($0["title"]?.stringValue ?? "")" }.joined(separator: ", ")
                    return "Several tasks match “\(words)”: \(options). Which one? Use its number, e.g. “\(tool == "delete_task" ? "delete" : "complete") \(only)”."
                }
                id = only
            }
            var arguments = extra
            arguments["task_id"] = .int(id)
            let result = await call(tool, .object(arguments))
            return result.isError ? result.text : describe(result.content)
        }
    }
}
