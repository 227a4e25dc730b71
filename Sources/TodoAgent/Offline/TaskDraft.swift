import Foundation
import TodoCore

/// A task to add, as read from the words after the command: the title and what was said around it.
struct TaskDraft: Equatable {
    var title: String
    var description: String?
    var priority: String?
    var tags: [String] = []
    var due: Date?
    var recurrence: Recurrence?
    /// "…, remind me 30 minutes before".
    var remindBefore: Int?
    /// Said as "remind me to …" with a time: the reminder is at the due moment.
    var remindAtDue = false

    static let priorities: [(pattern: String, value: String)] = [
        (#"(?:,|;|-|–|\s)\s*(?:with |it's |its |it is |as |at |make it |mark it |set it )?(?:a |an )?(?:high|top|highest)(?:-| )(?:priority|prio|pri)(?: task)?\b"#, "high"),
        (#"(?:,|;|-|–|\s)\s*(?:with |as )?(?:a |an )?(?:low|lowest)(?:-| )(?:priority|prio|pri)(?: task)?\b"#, "low"),
        (#"(?:,|;|-|–|\s)\s*(?:with |as )?(?:a |an )?(?:medium|normal|regular)(?:-| )(?:priority|prio|pri)(?: task)?\b"#, "medium"),
        (#"(?:,|;|-|–|\s)\s*(?:with )?priority:? ?(high|low|medium)\b"#, ""),
        (#"(?:,|;|-|–|\s)\s*\(?(?:it's |its |it is |this is |very |super |really )?(?:not urgent|no rush|not important|whenever|low-key|someday)\)?\s*$"#, "low"),
        (#"(?:,|;|-|–|\s)\s*\(?(?:it's |its |it is |this is |very |super |really )?(?:urgent|urgently|important|asap|a\.s\.a\.p\.?|critical|high)\)?\s*(?:!+)?$"#, "high"),
        (#"^(?:urgent|important|asap)[:!,]?\s+"#, "high"),
        (#"(?:\s|^)!(high|low|medium|urgent|important)\b"#, ""),
        (#"\s!{2,}$"#, "high"),
    ]

    /// The draft, or `.unknown` when no title is left; `.unsupported` for a repeat the tools cannot store.
    static func parse(_ phrase: String, dates: DatePhrase) -> OfflineIntent {
        var rest = " " + phrase.trimmingCharacters(in: .whitespaces)
        var draft = TaskDraft(title: "")
        if let reminder = ReminderPhrase.extract(from: rest) {
            draft.remindBefore = reminder.minutes
            rest = reminder.rest
        }
        // Details after "note:" or "with the note" are the description, said last.
        if let range = rest.range(of: #"(?:,|;|\s)\s*(?:(?:note|notes|description|details|desc)\s*[:\-–]|with (?:the |a )?(?:note|description)s?\b:?)\s*(.+)$"#, options: [.regularExpression, .caseInsensitive]) {
            let text = String(rest[range])
            if let detail = OfflineIntent.firstMatch(#"(?:note|notes|description|details|desc)s?\s*[:\-–]?\s*(.+)$"#, text)?.first {
                draft.description = detail
                rest.removeSubrange(range)
            }
        }
        for (pattern, value) in priorities {
            guard let range = rest.range(of: pattern, options: [.regularExpression, .caseInsensitive]) else { continue }
            let matched = rest[range].lowercased()
            draft.priority = value.isEmpty ? (["high", "urgent", "important"].contains { matched.contains($0) } ? "high" : matched.contains("low") ? "low" : "medium") : value
            rest.replaceSubrange(range, with: " ")
            break
        }
        rest = OfflineIntent.withoutAside(rest)
        var words: [String] = []
        var taggedNext = false
        for word in rest.split(separator: " ").map(String.init) {
            let bare = word.trimmingCharacters(in: CharacterSet(charactersIn: ",.;:!?"))
            if taggedNext {
                draft.tags.append(bare.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "#")))
                taggedNext = false
            } else if bare.hasPrefix("#"), bare.count > 1, bare.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                draft.tags.append(String(bare.dropFirst()).lowercased())
            } else {
                words.append(word)
            }
        }
        rest = words.joined(separator: " ")
        if let match = OfflineIntent.firstMatch(#"^(.*?),?\s+(?:tagged|tag it|tag|with (?:the )?tags?|labell?ed|label it|under)\s+#?([\w-]+(?:(?:,\s*|\s+)(?:and\s+)?#?(?!and\b)[\w-]+)*)\s*$"#, rest),
           !match[0].isEmpty {
            draft.tags += OfflineIntent.tags(match[1])
            rest = match[0]
        }
        for suffix in [#"\s+(?:to|on|onto|in|into) (?:my|the) (?:list|tasks|todo list|to-do list|to do list|todos|todo|task list|agenda|list of tasks)$"#, #"\s+(?:as a|as) (?:task|todo|to-do|reminder)$"#, #"\s+(?:for me|pls|please)$"#] {
            if let range = rest.range(of: suffix, options: [.regularExpression, .caseInsensitive]) { rest.removeSubrange(range) }
        }
        var dueFromDate: DatePhrase.Found?
        switch RecurrencePhrase.extract(from: rest) {
        case .unsupported(let what):
            return .unsupported(what)
        case .found(let found, let remainder):
            let words = Words(remainder)
            let time = dates.find(in: words)
            if let time { rest = words.removing(time.range) } else { rest = remainder }
            draft.recurrence = found.recurrence
            draft.due = dates.firstDue(of: found, time: time)
        case .none:
            let words = Words(rest)
            dueFromDate = dates.find(in: words)
            if let found = dueFromDate {
                draft.due = dates.resolve(found)
                rest = words.removing(found.range)
            }
        }
        // Words left dangling once the date, priority and tags are out.
        for pattern in [#"(?:\s|,)+(?:due|by|on|at|for|and|with|to|the|is|it's|its)$"#, #"^(?:due|and|to)\s+"#, #"\s*[,;:\-–]+$"#, #"(?:\s|,)+(?:priority|prio)$"#] {
            while let range = rest.range(of: pattern, options: [.regularExpression, .caseInsensitive]) { rest.removeSubrange(range) }
        }
        draft.title = rest.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ",.;:!?-–\"'“”")))
        if draft.title.lowercased().hasPrefix("to ") { draft.title.removeFirst(3) }
        guard !draft.title.isEmpty else { return .unknown }
        return .add(draft)
    }
}
