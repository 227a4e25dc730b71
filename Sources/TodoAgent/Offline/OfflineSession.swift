import Foundation
import TodoCore

/// One offline turn: reads the message against the conversation, resolves task references through list_tasks,
/// and calls the tools, reporting each call as the model agent reports its own.
struct OfflineSession {
    let catalog: ToolCatalog
    let userID: String
    let emit: @Sendable (AgentEvent) async -> Void
    let memory: OfflineMemory
    let dates: DatePhrase
    var steps: [ToolStep] = []
    /// The user's tasks, listed once per turn when a reference needs them.
    var tasks: [JSONValue]?
    /// The ids the question this "yes" answers showed: a bulk change takes no other task.
    var confirmedIDs: [Int64] = []
    /// The listing stopped at its limit, so a match by words may miss a task.
    var truncated = false
    static let lookupLimit = 200

    typealias Intent = OfflineIntent

    mutating func call(_ name: String, _ arguments: JSONValue) async -> ToolResult {
        let call = ToolCall(id: "offline_\(steps.count + 1)", name: name, arguments: arguments.text)
        await emit(.toolCall(call))
        let result = await catalog.call(name, arguments: arguments, userID: userID)
        let step = ToolStep(call: call, result: result)
        steps.append(step)
        await emit(.toolResult(step))
        return result
    }

    mutating func answer(_ message: String) async -> String {
        var intent = Intent.parse(message, dates: dates)
        // With a question open, "undo" or "scratch that" means: not that.
        if memory.pending != nil, intent == .undo { intent = .no }
        switch memory.pending {
        case .choose(let about, let candidates)?:
            if case .no = intent { return OfflineReplies.cancelled }
            if case .chooseAll = intent {
                var replies: [String] = []
                for candidate in candidates {
                    tasks = nil
                    replies.append(await perform(Self.replacingReference(in: Intent.parse(about, dates: dates), with: .id(candidate)), confirmed: true))
                }
                return replies.joined(separator: "\n")
            }
            if let chosen = await chosen(intent, message: message, among: candidates) {
                // Picking from the numbered list is the user's explicit choice: no second question.
                return await perform(Self.replacingReference(in: Intent.parse(about, dates: dates), with: .id(chosen)), confirmed: true)
            }
        case .confirm(let about)?:
            if case .yes = intent {
                confirmedIDs = memory.turns.last.map { OfflineMemory.listed($0.answer) } ?? []
                return await perform(Intent.parse(about, dates: dates), confirmed: true)
            }
            if case .no = intent { return OfflineReplies.cancelled }
        case .offer(let about)?:
            if case .yes = intent, case .maybeAdd(let draft) = Intent.parse(about, dates: dates) { return await add(draft) }
            if case .no = intent { return "Okay, I didn't add it." }
        case nil:
            break
        }
        return await perform(intent, confirmed: false)
    }

    /// The candidate a reply to "which one?" picks: by its number, its id, or words that fit only one of them.
    mutating func chosen(_ intent: Intent, message: String, among candidates: [Int64]) async -> Int64? {
        switch intent {
        case .choose(.number(let number)):
            if number >= 1, number <= candidates.count { return candidates[Int(number) - 1] }
            return candidates.contains(number) ? number : nil
        case .choose(.position(let position)):
            if position == -1 { return candidates.last }
            return position >= 1 && position <= candidates.count ? candidates[position - 1] : nil
        case .unknown, .choose:
            let words = Intent.ref(Utterance(message).text)
            guard case .words(let text) = words else { return nil }
            let listed = await userTasks().filter { task in candidates.contains { task["id"] == .int($0) } }
            let matches = TaskMatcher.matches(text, in: TaskMatcher.candidates(listed))
            return matches.count == 1 ? matches[0].id : nil
        default:
            return nil
        }
    }

    static func replacingReference(in intent: Intent, with ref: Intent.TaskRef) -> Intent {
        switch intent {
        case .complete: .complete(ref)
        case .reopen: .reopen(ref)
        case .delete(_, let sure): .delete(ref, sure: sure)
        case .update(_, let change): .update(ref, change)
        default: intent
        }
    }

    mutating func perform(_ intent: Intent, confirmed: Bool) async -> String {
        switch intent {
        case .help: return OfflineReplies.help
        case .unknown: return OfflineReplies.unknown
        case .smalltalk(let reply): return reply
        case .unsupported(let what): return OfflineReplies.unsupported(what)
        case .yes: return "Okay! What would you like to do with your tasks?"
        case .no: return "Okay, nothing changed."
        case .which: return OfflineReplies.noReferent
        case .choose, .chooseAll: return "What should I do with it? For example “complete 2”, “delete 2” or “move 2 to friday”."
        case .also(let ref):
            guard let previous = memory.turns.last?.said else { return OfflineReplies.unknown }
            let again = Self.replacingReference(in: Intent.parse(previous, dates: dates), with: ref)
            switch again {
            case .complete, .reopen, .delete, .update: return await perform(again, confirmed: false)
            default: return OfflineReplies.unknown
            }
        case .maybeAdd(let draft): return "Do you want me to add “\(draft.title)”? \(OfflineReplies.offerSuffix)"
        case .add(let draft): return await add(draft)
        case .list(let listing): return await list(listing)
        case .undo: return await undo()
        case .deleteAll(let scope): return await bulk(scope, delete: true, confirmed: confirmed)
        case .completeAll(let scope): return await bulk(scope, delete: false, confirmed: confirmed)
        case .complete(let ref):
            return await act(on: ref, prefer: false) { session, task in
                if task["completed"] == true { return "“\(OfflineReplies.title(task))” is already done." }
                let result = await session.call("complete_task", ["task_id": task["id"] ?? .null])
                guard !result.isError else { return result.text }
                var line = "Marked \(OfflineReplies.named(task)) as done."
                if let next = result.content["next_task_id"] { line += " Its next occurrence is #\(next.text)." }
                return line
            }
        case .reopen(let ref):
            return await act(on: ref, prefer: true) { session, task in
                guard task["completed"] == true else { return "“\(OfflineReplies.title(task))” isn't marked done." }
                let result = await session.call("update_task", ["task_id": task["id"] ?? .null, "completed": false])
                return result.isError ? result.text : "Reopened \(OfflineReplies.named(task))."
            }
        case .delete(let ref, let sure):
            return await act(on: ref, prefer: nil) { session, task in
                guard sure || confirmed else {
                    return "Delete \(OfflineReplies.named(task))? \(OfflineReplies.confirmSuffix)"
                }
                let result = await session.call("delete_task", ["task_id": task["id"] ?? .null])
                return result.isError ? result.text : "Deleted \(OfflineReplies.named(task)). Say “undo” to bring it back."
            }
        case .update(let ref, let change):
            return await act(on: ref, prefer: nil) { session, task in
                guard !change.needsYes || confirmed else {
                    if let title = change.title { return "Rename \(OfflineReplies.named(task)) to “\(title)”? \(OfflineReplies.confirmSuffix)" }
                    let due = change.due.map { " to \(session.dates.readable($0))" } ?? ""
                    return "Move \(OfflineReplies.named(task))\(due)? \(OfflineReplies.confirmSuffix)"
                }
                return await session.update(task, with: change)
            }
        }
    }

    // MARK: - Adding and listing

    mutating func add(_ draft: TaskDraft) async -> String {
        var arguments: [String: JSONValue] = ["title": .string(draft.title)]
        if let description = draft.description { arguments["description"] = .string(description) }
        if let priority = draft.priority { arguments["priority"] = .string(priority) }
        if !draft.tags.isEmpty { arguments["tags"] = .array(draft.tags.map(JSONValue.string)) }
        if let due = draft.due { arguments["due_at"] = .string(dates.format(due)) }
        if let recurrence = draft.recurrence { arguments["recurrence"] = .string(recurrence.rawValue) }
        if let minutes = draft.remindBefore {
            guard draft.due != nil else { return OfflineReplies.reminderNeedsDue(minutes) }
            arguments["remind_before_minutes"] = .int(Int64(minutes))
        } else if draft.remindAtDue, let due = draft.due {
            arguments["remind_at"] = .string(dates.format(due))
        }
        let result = await call("add_task", .object(arguments))
        guard !result.isError else { return result.text }
        let details = OfflineReplies.details(priority: draft.priority, tags: draft.tags, due: draft.due, recurrence: draft.recurrence, dates: dates)
        let reminder = draft.remindBefore.map { ", reminder \(OfflineReplies.duration($0)) before" } ?? (draft.remindAtDue ? ", with a reminder then" : "")
        return "Added “\(draft.title)” (#\(result.content["task_id"]?.text ?? "?"))\(details)\(reminder)."
    }

    mutating func list(_ listing: Intent.Listing) async -> String {
        var arguments: [String: JSONValue] = ["status": .string(listing.status), "sort": listing.dueBefore == nil ? "created" : "due"]
        if let before = listing.dueBefore { arguments["due_before"] = .string(dates.format(before)) }
        if let after = listing.dueAfter { arguments["due_after"] = .string(dates.format(after)) }
        if let priority = listing.priority { arguments["priority"] = .string(priority) }
        if let tag = listing.tag { arguments["tag"] = .string(tag) }
        if let query = listing.query { arguments["query"] = .string(query) }
        let result = await call("list_tasks", .object(arguments))
        return result.isError ? result.text : OfflineReplies.describe(result.content, label: listing.label, dates: dates)
    }

    // MARK: - Finding the task

    mutating func userTasks() async -> [JSONValue] {
        if let tasks { return tasks }
        let result = await call("list_tasks", ["status": "all", "sort": "created", "limit": .int(Int64(Self.lookupLimit))])
        let listed: [JSONValue] = if case .array(let items) = result.content, !result.isError { items } else { [] }
        tasks = listed
        truncated = listed.count >= Self.lookupLimit
        return listed
    }

    enum Resolution {
        case task(JSONValue)
        case reply(String)
    }

    /// The one task a reference means, or what to say instead. `prefer` narrows words to completed (true) or
    /// open (false) tasks when that leaves exactly one.
    mutating func resolve(_ ref: Intent.TaskRef, prefer: Bool?) async -> Resolution {
        let tasks = await userTasks()
        func task(_ id: Int64) -> JSONValue? { tasks.first { $0["id"] == .int(id) } }
        switch ref {
        case .id(let id):
            return task(id).map(Resolution.task) ?? .reply("I couldn't find task #\(id). Say “show my tasks” to see them.")
        case .number(let number):
            // A bare number is a position only in the list the previous answer showed; otherwise an id.
            let shown = memory.previousList
            if number >= 1, number <= shown.count {
                let byPosition = shown[Int(number) - 1]
                if byPosition != number, shown.contains(number), let first = task(byPosition), let second = task(number) {
                    return .reply(OfflineReplies.choose([first, second], dates: dates))
                }
                return task(byPosition).map(Resolution.task) ?? .reply("That task is gone. Say “show my tasks” to see the list.")
            }
            return task(number).map(Resolution.task) ?? .reply("I couldn't find task #\(number). Say “show my tasks” to see them.")
        case .position(let position):
            let shown = memory.lastList
            if shown.isEmpty {
                guard position == -1, let newest = Self.newest(tasks) else {
                    return .reply(OfflineReplies.noList)
                }
                return .task(newest)
            }
            let index = position == -1 ? shown.count - 1 : position - 1
            guard shown.indices.contains(index) else { return .reply("The last list had only \(shown.count) \(shown.count == 1 ? "task" : "tasks").") }
            return task(shown[index]).map(Resolution.task) ?? .reply("That task is gone. Say “show my tasks” to see the list.")
        case .pronoun:
            guard let id = memory.lastTouched else { return .reply(OfflineReplies.noReferent) }
            return task(id).map(Resolution.task) ?? .reply(OfflineReplies.noReferent)
        case .lastAdded:
            if truncated { return .reply(OfflineReplies.tooMany) }
            guard let newest = Self.newest(tasks) else {
                return .reply("You have no tasks yet.")
            }
            return .task(newest)
        case .words(let words):
            if truncated { return .reply(OfflineReplies.tooMany) }
            var matches = TaskMatcher.matches(words, in: TaskMatcher.candidates(tasks))
            if let prefer, matches.count > 1 {
                let preferred = matches.filter { $0.completed == prefer }
                if preferred.count == 1 { matches = preferred }
            }
            switch matches.count {
            case 0: return .reply(words.isEmpty ? OfflineReplies.noReferent : OfflineReplies.notFound(words))
            case 1: return .task(matches[0].task)
            default: return .reply(OfflineReplies.choose(matches.map(\.task), dates: dates))
            }
        }
    }

    /// The task added last: ids only grow.
    static func newest(_ tasks: [JSONValue]) -> JSONValue? {
        tasks.max { ($0["id"]?.intValue ?? 0) < ($1["id"]?.intValue ?? 0) }
    }

    mutating func act(
        on ref: Intent.TaskRef, prefer: Bool?, _ body: (inout OfflineSession, JSONValue) async -> String
    ) async -> String {
        // "buy milk and call mom are done": several tasks, each named exactly.
        if case .words(let words) = ref, words.contains(" and ") || words.contains(", "), !truncated {
            let candidates = TaskMatcher.candidates(await userTasks())
            let parts = words.components(separatedBy: ",").flatMap { $0.components(separatedBy: " and ") }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let found = parts.map { TaskMatcher.matches($0, in: candidates) }
            if TaskMatcher.matches(words, in: candidates).isEmpty, parts.count > 1, found.allSatisfy({ $0.count == 1 }) {
                var replies: [String] = []
                for match in found { replies.append(await body(&self, match[0].task)) }
                return replies.joined(separator: "\n")
            }
        }
        switch await resolve(ref, prefer: prefer) {
        case .reply(let text): return text
        case .task(let task): return await body(&self, task)
        }
    }

    // MARK: - Changing

    mutating func update(_ task: JSONValue, with change: Intent.Change) async -> String {
        var arguments: [String: JSONValue] = ["task_id": task["id"] ?? .null]
        var said: [String] = []
        if let title = change.title { arguments["title"] = .string(title) }
        if let description = change.description {
            arguments["description"] = .string(description)
            said.append("note “\(description)”")
        }
        if let priority = change.priority {
            arguments["priority"] = .string(priority)
            said.append("\(priority) priority")
        }
        if var due = change.due {
            if let time = change.dueTime, time.count == 2, let current = task["due_at"]?.stringValue.flatMap(Timestamp.parse) {
                due = dates.at((time[0], time[1]), on: current)
            }
            arguments["due_at"] = .string(dates.format(due))
            said.append("due \(dates.readable(due))")
        }
        if let recurrence = change.recurrence {
            arguments["recurrence"] = .string(recurrence.rawValue)
            said.append("repeats \(recurrence.rawValue)")
        }
        if change.clearDue {
            guard task["due_at"] != nil, task["due_at"] != .null else { return "\(OfflineReplies.named(task)) has no due date." }
            arguments["due_at"] = ""
            said.append("no due date")
        }
        if change.clearRecurrence {
            guard task["recurrence"] != nil, task["recurrence"] != .null else { return "\(OfflineReplies.named(task)) doesn't repeat." }
            arguments["recurrence"] = ""
            said.append("doesn't repeat")
        }
        if let minutes = change.remindBefore {
            guard let due = task["due_at"], due != .null else {
                return "\(OfflineReplies.named(task)) has no due date to count back from. Give it one first, e.g. “move it to tomorrow at 5pm”."
            }
            arguments["remind_before_minutes"] = .int(Int64(minutes))
            said.append("reminder \(OfflineReplies.duration(minutes)) before")
        }
        if change.clearReminder {
            let has = [task["remind_at"], task["remind_before_minutes"]].contains { $0 != nil && $0 != .null }
            guard has else { return "\(OfflineReplies.named(task)) has no reminder." }
            arguments["remind_before_minutes"] = 0
            said.append("no reminder")
        }
        if !change.addTags.isEmpty || !change.removeTags.isEmpty {
            let current: [String] = if case .array(let values)? = task["tags"] { values.compactMap(\.stringValue) } else { [] }
            let missing = change.removeTags.filter { !current.contains($0) }
            if !missing.isEmpty { return "\(OfflineReplies.named(task)) has no tag #\(missing[0])." }
            var tags = current.filter { !change.removeTags.contains($0) }
            for tag in change.addTags where !tags.contains(tag) { tags.append(tag) }
            arguments["tags"] = .array(tags.map(JSONValue.string))
            said.append(tags.isEmpty ? "no tags" : "tagged " + tags.map { "#\($0)" }.joined(separator: " "))
        }
        let result = await call("update_task", .object(arguments))
        guard !result.isError else { return result.text }
        if let title = change.title, said.isEmpty { return "Renamed #\(task["id"]?.text ?? "?") to “\(title)”." }
        let name = change.title.map { "“\($0)” (#\(task["id"]?.text ?? "?"))" } ?? OfflineReplies.named(task)
        return "Updated \(name): \(said.joined(separator: ", "))."
    }

    /// A change to many tasks: listed and confirmed first, then done one by one.
    mutating func bulk(_ scope: Intent.Scope, delete: Bool, confirmed: Bool) async -> String {
        var arguments: [String: JSONValue] = ["sort": "created", "limit": 200]
        let label: String
        switch scope {
        case .completed:
            arguments["status"] = "completed"
            label = "completed"
        case .pending:
            arguments["status"] = "pending"
            label = "open"
        case .all:
            arguments["status"] = delete ? "all" : "pending"
            label = delete ? "" : "open"
        case .tag(let tag):
            arguments["tag"] = .string(tag)
            if !delete { arguments["status"] = "pending" }
            label = "#\(tag)"
        case .priority(let priority):
            arguments["priority"] = .string(priority)
            if !delete { arguments["status"] = "pending" }
            label = "\(priority) priority"
        case .shown:
            guard !memory.lastList.isEmpty else { return "Which tasks do you mean? Say “show my tasks” first." }
            arguments["status"] = delete ? "all" : "pending"
            label = ""
        }
        let result = await call("list_tasks", .object(arguments))
        guard !result.isError, case .array(var found) = result.content else { return result.text }
        if scope == .shown {
            let shown = memory.lastList
            found = found.filter { task in shown.contains { task["id"] == .int($0) } }
        }
        if confirmed {
            // Only what the question showed: a task added or finished elsewhere since then is left alone.
            let shown = confirmedIDs
            found = found.filter { task in shown.contains { task["id"] == .int($0) } }
        }
        let verb = delete ? "delete" : "mark as done"
        guard !found.isEmpty else { return "There are no \(label.isEmpty ? "" : label + " ")tasks to \(verb)." }
        let noun = "\(found.count) \(label.isEmpty ? "" : label + " ")\(found.count == 1 ? "task" : "tasks")"
        guard confirmed else {
            return (["That will \(verb) \(noun):"] + OfflineReplies.numbered(found, dates: dates) + [OfflineReplies.confirmSuffix]).joined(separator: "\n")
        }
        var done = 0
        for task in found {
            let outcome = await call(delete ? "delete_task" : "complete_task", ["task_id": task["id"] ?? .null])
            if !outcome.isError { done += 1 }
        }
        let past = delete ? "Deleted" : "Marked"
        return "\(past) \(done) \(done == 1 ? "task" : "tasks")\(delete ? "" : " as done"). Say “undo” to bring \(done == 1 ? "it" : "them") back."
    }

    // MARK: - Undo

    /// Reverts the conversation's latest change: a deletion is restored, a completion reopened (and its next
    /// occurrence removed), an addition deleted, an update set back to the fields listed before it.
    mutating func undo() async -> String {
        guard let change = memory.lastChange else { return "There's nothing to undo yet." }
        if Intent.parse(change.said, dates: dates) == .undo { return "I can only undo the last change once." }
        var lines: [String] = []
        for step in change.steps.reversed() where step.name != "list_tasks" {
            guard case .int(let id)? = step.result["task_id"] else { continue }
            let title = step.result["title"]?.stringValue ?? ""
            switch step.name {
            case "add_task":
                let result = await call("delete_task", ["task_id": .int(id)])
                lines.append(result.isError ? result.text : "removed “\(title)” again")
            case "complete_task":
                let result = await call("update_task", ["task_id": .int(id), "completed": false])
                lines.append(result.isError ? result.text : "“\(title)” is open again")
                if case .int(let next)? = step.result["next_task_id"] { _ = await call("delete_task", ["task_id": .int(next)]) }
            case "delete_task":
                // Deleted tasks are kept for a while: the task comes back with its id and every field.
                let result = await call("restore_task", ["task_id": .int(id)])
                lines.append(result.isError ? result.text : "restored “\(title)”")
            case "update_task":
                guard let old = memory.seen(id, in: change) else { continue }
                var arguments: [String: JSONValue] = ["task_id": .int(id)]
                for key in ["title", "description", "priority", "tags", "due_at", "recurrence", "completed"] where step.arguments[key] != nil {
                    // A due date or repeat that was not there is removed with "".
                    arguments[key] = old[key].flatMap { $0 == .null ? nil : $0 } ?? (key == "due_at" || key == "recurrence" ? "" : nil)
                }
                if step.arguments["remind_at"] != nil || step.arguments["remind_before_minutes"] != nil {
                    // The reminder as it was, or none.
                    if let at = old["remind_at"], at != .null {
                        arguments["remind_at"] = at
                    } else {
                        arguments["remind_before_minutes"] = old["remind_before_minutes"].flatMap { $0 == .null ? nil : $0 } ?? 0
                    }
                }
                guard arguments.count > 1 else { continue }
                let result = await call("update_task", .object(arguments))
                lines.append(result.isError ? result.text : "“\(old["title"]?.stringValue ?? title)” is back as it was")
            default:
                continue
            }
        }
        return lines.isEmpty ? "There's nothing I can undo there." : "Undone: " + lines.reversed().joined(separator: "; ") + "."
    }
}
