import Foundation

/// A reminder offset said in words: "remind me 30 minutes before", "with a reminder an hour ahead",
/// "2 days in advance". Only offsets: a reminder at a moment is said like a due date ("remind me to … at 5pm").
enum ReminderPhrase {
    static let amount = #"(an?|one|two|three|four|five|six|ten|fifteen|twenty|thirty|forty[- ]five|half an?|\d{1,5})"#
    static let unit = #"(minutes?|mins?|m|hours?|hrs?|hr|h|days?|d|weeks?|wk|w)"#
    static let before = #"(?:before(?:hand)?|ahead|early|earlier|prior|in advance)(?:\s+(?:it'?s\s+due|it\s+is\s+due|the\s+deadline|that|it))?"#
    static let asker = #"(?:(?:please\s+)?(?:remind|alert|notify|ping|warn)\s+me|(?:with|set|add|and)\s+a\s+reminder|a\s+reminder|reminder)"#

    /// In a sentence that adds a task: the offset and the sentence without it.
    static func extract(from text: String) -> (minutes: Int, rest: String)? {
        let pattern = #"(?:^|,|;|\s)\s*(?:and\s+)?"# + asker + #"\s+"# + amount + #"\s*"# + unit + #"\s+"# + before + #"\s*(?=$|,|;|\.)"#
        guard let range = text.range(of: pattern, options: [.regularExpression, .caseInsensitive]),
              let groups = OfflineIntent.firstMatch(amount + #"\s*"# + unit + #"\s+"# + before, String(text[range])),
              let minutes = minutes(groups[0], groups[1])
        else { return nil }
        var rest = text
        rest.replaceSubrange(range, with: " ")
        return (minutes, rest)
    }

    /// "30" "minutes" → 30; "an" "hour" → 60; "half an" "hour" → 30.
    static func minutes(_ amount: String, _ unit: String) -> Int? {
        let words = ["a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10, "fifteen": 15, "twenty": 20,
                     "thirty": 30, "forty-five": 45, "forty five": 45]
        let lower = amount.lowercased()
        let count: Double
        if lower.hasPrefix("half") { count = 0.5 } else if let value = words[lower] ?? Int(lower) { count = Double(value) } else { return nil }
        let per: Double = switch unit.lowercased().first {
        case "h": 60
        case "d": 1440
        case "w": 10080
        default: 1
        }
        let total = Int((count * per).rounded())
        return (1...40_320).contains(total) ? total : nil
    }
}
