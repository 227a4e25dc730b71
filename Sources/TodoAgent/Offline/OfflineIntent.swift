import Foundation

/// What an everyday sentence asks for, as the offline agent understands it.
enum OfflineIntent: Equatable {
    /// A task named by its id or by words of its title.
    enum TaskRef: Equatable {
        case id(Int64)
        case words(String)
    }

    /// Which tasks a listing shows.
    struct Listing: Equatable {
        var status = "all"
        var dueBefore: Date?
        var dueAfter: Date?
        /// How the answer names the listing, e.g. "pending", "due this week".
        var label = ""
    }

    case add(title: String, priority: String?, tags: [String], due: Date?)
    case list(Listing)
    case complete(TaskRef)
    case delete(TaskRef)
    case rename(TaskRef, to: String)
    case help
    case unknown

    static func parse(_ message: String, dates: DatePhrase) -> OfflineIntent {
        let original = message.trimmingCharacters(in: .whitespacesAndNewlines)
            .trimmingCharacters(in: CharacterSet(charactersIn: "?!.")).trimmingCharacters(in: .whitespaces)
        let text = original.lowercased().replacingOccurrences(of: "’", with: "'")
        if text.isEmpty || ["help", "what can you do", "what can i say", "commands"].contains(text) { return .help }

        if let match = firstMatch(#"^(?:rename|retitle|change)(?: the)?(?: task)? (.+?) (?:to|as|into) (.+)$"#, original) {
            return .rename(ref(match[0]), to: match[1])
        }
        for pattern in [
            #"^(?:mark|check|tick)(?: off)?(?: the)?(?: task)? (.+?)(?: as)? (?:done|complete|completed|finished)$"#,
            #"^(?:complete|finish|done|check off|tick off|close)(?: the)?(?: task)? (.+)$"#,
            #"^i (?:did|finished|completed|have done) (.+)$"#,
        ] {
            if let match = firstMatch(pattern, original) { return .complete(ref(match[0])) }
        }
        if let match = firstMatch(#"^(?:delete|remove|drop|cancel|erase|get rid of)(?: the)?(?: task)? (.+)$"#, original) {
            return .delete(ref(match[0]))
        }
        if let match = firstMatch(#"^(?:add|create|new|remind me to|remember to|i need to|todo:?|put)(?: a)?(?: new)?(?: task)?(?: to)?:? (.+?)(?: to (?:my|the) (?:list|tasks|todo list))?$"#, original) {
            return add(match[0], dates: dates)
        }
        if let listing = listing(text, dates: dates) { return .list(listing) }
        return .unknown
    }

    static func add(_ phrase: String, dates: DatePhrase) -> OfflineIntent {
        var rest = phrase
        var due: Date?
        if let found = dates.extract(from: rest) {
            due = found.date
            rest = found.rest
        }
        var priority: String?
        for (pattern, value) in [
            (#"(?i),?\s*(?:with )?(high|urgent|important)(?: priority)?$"#, "high"), (#"(?i),?\s*(?:with )?(low)(?: priority)?$"#, "low"),
            (#"(?i),?\s*(?:with )?(medium|normal)(?: priority)?$"#, "medium"), (#"(?i)\s*!(high|low|medium)\b"#, ""),
        ] {
            guard let range = rest.range(of: pattern, options: .regularExpression) else { continue }
            let matched = rest[range].lowercased()
            priority = value.isEmpty ? ["high", "low", "medium"].first { matched.contains($0) } : value
            rest.removeSubrange(range)
            break
        }
        var tags: [String] = []
        rest = rest.split(separator: " ").filter { word in
            guard word.hasPrefix("#"), word.count > 1 else { return true }
            tags.append(String(word.dropFirst()).lowercased())
            return false
        }.joined(separator: " ")
        // "due" or "by" left dangling after the date was taken out.
        for suffix in [" due", " by", " on", ","] where rest.lowercased().hasSuffix(suffix) { rest.removeLast(suffix.count) }
        let title = rest.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        return title.isEmpty ? .unknown : .add(title: title, priority: priority, tags: tags, due: due)
    }

    static func listing(_ text: String, dates: DatePhrase) -> Listing? {
        let asks = ["show", "list", "what", "which", "display", "see", "view", "my tasks", "tasks", "todo", "pending", "overdue", "due"]
        guard asks.contains(where: { text.contains($0) }) else { return nil }
        var listing = Listing()
        if text.contains("pending") || text.contains("open") || text.contains("remaining") || text.contains("left")
            || text.contains("incomplete") || text.contains("to do") || text.contains("not done") {
            listing.status = "pending"
            listing.label = "pending"
        } else if text.contains("completed") || text.contains("done") || text.contains("finished") {
            listing.status = "completed"
            listing.label = "completed"
        }
        let today = dates.startOfDay(dates.now)
        if text.contains("overdue") {
            listing = Listing(status: "pending", dueBefore: dates.now, label: "overdue")
        } else if text.contains("this week") {
            listing = Listing(status: "pending", dueBefore: dates.endOfWeek, label: "due this week")
        } else if text.contains("due today") || text.hasSuffix("today") {
            listing = Listing(status: "pending", dueBefore: dates.calendar.date(byAdding: .day, value: 1, to: today), label: "due today")
        } else if text.contains("tomorrow") {
            listing = Listing(
                status: "pending", dueBefore: dates.calendar.date(byAdding: .day, value: 2, to: today),
                dueAfter: dates.calendar.date(byAdding: .day, value: 1, to: today), label: "due tomorrow"
            )
        }
        return listing
    }

    static func ref(_ phrase: String) -> TaskRef {
        var words = phrase.trimmingCharacters(in: .whitespaces)
        for prefix in ["the ", "task ", "#", "number ", "no. "] where words.lowercased().hasPrefix(prefix) {
            words.removeFirst(prefix.count)
        }
        for suffix in [" task", " one", " item"] where words.lowercased().hasSuffix(suffix) { words.removeLast(suffix.count) }
        words = words.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'“”"))
        if let id = Int64(words), id > 0 { return .id(id) }
        return .words(words)
    }

    /// The capture groups of the first match, matched case-insensitively on the original text.
    static func firstMatch(_ pattern: String, _ text: String) -> [String]? {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return nil }
        return (1..<match.numberOfRanges).compactMap { index in
            Range(match.range(at: index), in: text).map { String(text[$0]).trimmingCharacters(in: .whitespaces) }
        }
    }
}
