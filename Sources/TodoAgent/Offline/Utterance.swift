import Foundation

/// A message as the offline agent reads it: emoji, politeness and filler taken off, gerunds made commands
/// ("would you mind adding…"), and a mistyped command word corrected ("ad", "delte").
struct Utterance {
    /// The cleaned text in the user's own case, for titles.
    let text: String
    /// The cleaned text in lower case, for reading.
    let lower: String
    /// The message began with a check mark (✅ buy milk).
    let checked: Bool

    init(_ message: String) {
        var text = message.replacingOccurrences(of: "’", with: "'").replacingOccurrences(of: "‘", with: "'")
            .replacingOccurrences(of: "“", with: "\"").replacingOccurrences(of: "”", with: "\"")
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        checked = ["✅", "✔", "☑"].contains { trimmed.hasPrefix($0) || trimmed.hasSuffix($0) || trimmed.hasSuffix($0 + "\u{FE0F}") }
        text = Self.withoutEmoji(text)
        text = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        text = Self.withApostrophes(text)
        text = Self.stripping(text)
        self.text = text
        lower = text.lowercased()
    }

    /// Emoji and their joiners; ASCII symbols such as # and digits stay.
    static func withoutEmoji(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { scalar in
            let value = scalar.value
            if value == 0x200D || (0xFE00...0xFE0F).contains(value) { return false }
            return !(scalar.properties.isEmoji && value > 0xFF) && !(0x2190...0x2BFF).contains(value)
        }))
    }

    static let leadingFillers = [
        #"^(?:please|pls|plz|kindly|hey there|hey bot|hey assistant|hey|hi there|hi|hello|yo|ok|okay|ok so|so|um+|uh+|hmm+|oh|alright|right|now|quick|quickly|just|also|and|then|btw|oh and|actually|oh wait|no wait|wait|oops|whoops|oh no|ah|sorry|hmm|bot|assistant)\b[,!.:]*\s+"#,
        #"^(?:could|can|would|will|wud|cud) (?:you|u|ya|we)(?: please| pls| kindly| just| maybe| also)?\s+"#,
        #"^(?:i'd like you to|i want you to|i need you to|go ahead and|let's|lets|can i|could i|may i)\s+"#,
        #"^(?:i'd like to|i would like to|i wanna|i want to)\s+(?=(?:add|create|delete|remove|mark|complete|rename|change|move|see|view|list|show|update|reopen|set)\b)"#,
    ]
    static let trailingFillers = #"[,\s]+(?:please|pls|plz|thanks|thank you|thank u|thx|ty|for me|now|right now|asap please|if you can|if possible|real quick|actually|:\)|:-\)|:d|xx|x)$"#
    static let gerunds = [
        "adding": "add", "creating": "create", "deleting": "delete", "removing": "remove", "marking": "mark", "completing": "complete",
        "showing": "show", "listing": "list", "renaming": "rename", "changing": "change", "moving": "move", "updating": "update",
        "reopening": "reopen", "setting": "set", "making": "make", "putting": "put", "pushing": "push", "checking": "check",
        "clearing": "clear", "telling": "tell", "giving": "give",
    ]
    /// Command words people mistype, and the usual English words close to them that must stay as they are.
    static let commands = [
        "add", "create", "delete", "remove", "complete", "finish", "rename", "show", "list", "mark", "reopen", "change", "update",
        "move", "reschedule", "postpone", "display", "remind", "uncheck",
    ]
    static let realWords: Set<String> = [
        "and", "had", "bad", "sad", "dad", "mad", "make", "made", "male", "mask", "market", "more", "move", "love", "live", "lost",
        "last", "list", "lust", "mist", "snow", "show", "shop", "slow", "done", "dome", "range", "charge", "change", "finish",
        "rename", "create", "crate", "delete", "mark", "park", "dark", "bark", "work", "mare", "muse", "movie", "mover", "debate",
        "relate", "remote", "remains", "remain", "remind", "rewind", "update", "complete", "compete", "reopen", "display",
        "check", "checked", "cheque", "finished", "removed", "deleted", "added", "updated", "moved", "changed", "marked", "listed",
        "showed", "shown", "renamed", "reopened", "uncheck", "untick", "tick", "cross", "clear", "close", "mover", "shows", "lists",
    ]

    /// Contractions typed without their apostrophe ("dont", "whats").
    static let contractions = [
        "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "isnt": "isn't", "arent": "aren't", "wasnt": "wasn't", "werent": "weren't",
        "cant": "can't", "wont": "won't", "havent": "haven't", "hasnt": "hasn't", "shouldnt": "shouldn't", "wouldnt": "wouldn't",
        "couldnt": "couldn't", "im": "i'm", "ive": "i've", "whats": "what's", "thats": "that's", "theres": "there's", "itll": "it'll",
        "youre": "you're", "ill": "i'll", "id": "i'd", "heres": "here's", "wheres": "where's", "hows": "how's", "lets": "let's",
    ]

    static func withApostrophes(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            guard let fixed = contractions[word.lowercased()] else { return String(word) }
            return word.first?.isUppercase == true ? fixed.prefix(1).uppercased() + fixed.dropFirst() : fixed
        }.joined(separator: " ")
    }

    static func stripping(_ text: String) -> String {
        var text = text.trimmingCharacters(in: CharacterSet(charactersIn: " ?!.…").union(.whitespaces))
        var changed = true
        while changed {
            changed = false
            for pattern in leadingFillers {
                guard let range = text.range(of: pattern, options: [.regularExpression, .caseInsensitive]), range.upperBound < text.endIndex else { continue }
                text.removeSubrange(range)
                changed = true
            }
            if let range = text.range(of: trailingFillers, options: [.regularExpression, .caseInsensitive]), range.lowerBound > text.startIndex {
                text.removeSubrange(range)
                text = text.trimmingCharacters(in: CharacterSet(charactersIn: " ?!.,…"))
                changed = true
            }
        }
        let politeGerund = text.range(of: #"^(?:would you mind|do you mind|mind|how about|try)\s+"#, options: [.regularExpression, .caseInsensitive])
        if let politeGerund { text.removeSubrange(politeGerund) }
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = words.first?.lowercased() else { return text }
        if politeGerund != nil, let command = gerunds[first] {
            words[0] = command
        } else if first == "ad" {
            words[0] = "add"
        } else if !commands.contains(first), !realWords.contains(first), first.count >= 4, first.allSatisfy(\.isLetter) {
            // One letter off only: "delegate", "remodel" and "furnish" are words of their own.
            let close = commands.filter { abs($0.count - first.count) <= 1 && Self.distance(first, $0) <= 1 }
            if close.count == 1 { words[0] = close[0] }
        }
        return words.joined(separator: " ")
    }

    /// Edit distance with transpositions (optimal string alignment).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = Swift.min(current[j], previous2[j - 2] + 1) }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
