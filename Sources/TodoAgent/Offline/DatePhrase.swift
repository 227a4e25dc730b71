import Foundation

/// Finds a due date in everyday words, relative to now in the user's time zone: "today", "tonight", "tomorrow",
/// "friday" / "next friday" (the first one after today), "in 3 days", "in 2 weeks", "on 2026-12-01", each optionally "at 9am" / "at 17:30".
/// A day without a time is due at 09:00.
struct DatePhrase {
    let now: Date
    let calendar: Calendar

    init(now: Date, timeZone: TimeZone) {
        self.now = now
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        self.calendar = calendar
    }

    static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    /// The date and the text with the phrase removed, or nil when the text names no date.
    func extract(from text: String) -> (date: Date, rest: String)? {
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let lower = words.map { $0.lowercased().trimmingCharacters(in: .punctuationCharacters) }
        var day: Date?
        var used: Range<Int>?
        for index in lower.indices {
            let word = lower[index]
            let next = index + 1 < lower.count ? lower[index + 1] : ""
            let prefix = index > 0 && ["due", "by", "on"].contains(lower[index - 1]) ? index - 1 : index
            if word == "today" || word == "tonight" {
                day = startOfDay(now)
                used = prefix..<(index + 1)
            } else if word == "tomorrow" {
                day = calendar.date(byAdding: .day, value: 1, to: startOfDay(now))
                used = prefix..<(index + 1)
            } else if ["next", "this", "on", "by"].contains(word), let weekday = Self.weekdays.firstIndex(of: next) {
                day = upcoming(weekday: weekday + 1)
                let start = index > 0 && lower[index - 1] == "due" ? index - 1 : index
                used = start..<(index + 2)
            } else if let weekday = Self.weekdays.firstIndex(of: word) {
                day = upcoming(weekday: weekday + 1)
                used = prefix..<(index + 1)
            } else if word == "in", let amount = Int(next), index + 2 < lower.count {
                let unit = lower[index + 2]
                let component: Calendar.Component? = unit.hasPrefix("day") ? .day : unit.hasPrefix("week") ? .weekOfYear : unit.hasPrefix("month") ? .month : nil
                if let component {
                    day = calendar.date(byAdding: component, value: amount, to: startOfDay(now))
                    used = index..<(index + 3)
                }
            } else if let date = isoDay(word) {
                day = date
                used = prefix..<(index + 1)
            }
            if day != nil { break }
        }
        guard var date = day, var range = used else { return nil }
        date = calendar.date(bySettingHour: 9, minute: 0, second: 0, of: date) ?? date
        if word(at: range.upperBound, in: lower) == "at", let (hour, minute) = time(word(at: range.upperBound + 1, in: lower)) {
            date = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: date) ?? date
            range = range.lowerBound..<(range.upperBound + 2)
        } else if lower[range.lowerBound] == "tonight" {
            date = calendar.date(bySettingHour: 20, minute: 0, second: 0, of: date) ?? date
        }
        words.removeSubrange(range)
        return (date, words.joined(separator: " "))
    }

    func word(at index: Int, in words: [String]) -> String {
        index < words.count ? words[index] : ""
    }

    func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    /// The first date after today with this weekday (1 = Sunday): "friday", "this friday" and "next friday" alike.
    func upcoming(weekday: Int) -> Date? {
        let today = calendar.component(.weekday, from: now)
        let ahead = (weekday - today + 7) % 7
        return calendar.date(byAdding: .day, value: ahead == 0 ? 7 : ahead, to: startOfDay(now))
    }

    func isoDay(_ word: String) -> Date? {
        let parts = word.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), parts[0].count == 4 else { return nil }
        return calendar.date(from: DateComponents(year: year, month: month, day: day))
    }

    /// "9", "9am", "9pm", "17:30", "5:15pm".
    func time(_ word: String) -> (Int, Int)? {
        var text = word
        var offset = 0
        if text.hasSuffix("am") { text.removeLast(2) }
        else if text.hasSuffix("pm") { text.removeLast(2); offset = 12 }
        let parts = text.split(separator: ":")
        guard let hour = parts.first.flatMap({ Int($0) }), hour >= 0, hour <= 23 else { return nil }
        let minute = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        guard (0...59).contains(minute) else { return nil }
        let adjusted = offset == 12 && hour < 12 ? hour + 12 : (offset == 0 && word.hasSuffix("am") && hour == 12 ? 0 : hour)
        return (adjusted, minute)
    }

    /// This week's end: next Monday 00:00.
    var endOfWeek: Date {
        let interval = calendar.dateInterval(of: .weekOfYear, for: now)
        return interval?.end ?? now.addingTimeInterval(7 * 86_400)
    }

    /// ISO 8601 with the user's offset, as the tools take it.
    func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = calendar.timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
