import Foundation

/// Finds a due date in everyday words, relative to now in the user's time zone, and takes it out of the text.
///
/// Days: "today", "tonight", "this evening", "tomorrow (morning)", "friday" / "next friday" (the first one after
/// today), "next week" (Monday), "this weekend" (Saturday), "end of the week" (Friday 17:00), "end of the month"
/// (its last day, 17:00), "in 3 days", "in 2 hours", "Dec 24", "24th of December", "the 15th", "2026-12-24" and
/// slash dates, which are day/month ("24/12") unless the second number is over 12 ("12/24"). A date already past
/// this year means next year. Times: "at 5pm", "at 17:30", "at noon", "5pm"; "at 5" means 17:00 for 1–7 and the
/// morning for 8–11. A day without a time is due at 09:00, today at 18:00; a time without a day is the next one.
struct DatePhrase {
    let now: Date
    let calendar: Calendar
    /// Made once per turn: a list of 200 tasks formats 200 dates.
    private let iso: ISO8601DateFormatter
    private let readableFormatter: DateFormatter

    init(now: Date, timeZone: TimeZone) {
        self.now = now
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        self.calendar = calendar
        iso = ISO8601DateFormatter()
        iso.timeZone = timeZone
        iso.formatOptions = [.withInternetDateTime]
        readableFormatter = DateFormatter()
        readableFormatter.locale = Locale(identifier: "en_US_POSIX")
        readableFormatter.timeZone = timeZone
        readableFormatter.dateFormat = "EEE, MMM d, HH:mm"
    }

    static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    /// Short forms that are not also everyday words ("sun", "sat").
    static let weekdayAbbreviations = ["mon": 2, "tue": 3, "tues": 3, "wed": 4, "weds": 4, "thu": 5, "thur": 5, "thurs": 5, "fri": 6]
    static let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
    static let numberWords = ["a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "couple": 2, "few": 3]
    /// Words that belong to a date phrase when they stand right before it.
    static let leads: Set<String> = ["on", "by", "due", "for", "until", "till", "before", "at", "this", "coming", "next", "from"]

    /// What a phrase named: a day, a time of day, or an exact moment ("in 2 hours").
    struct Found {
        var day: Date?
        var time: (hour: Int, minute: Int)?
        var exact: Date?
        var range: Range<Int>
    }

    /// The date and the text with the phrase removed, or nil when the text names no date.
    func extract(from text: String) -> (date: Date, rest: String)? {
        let words = Words(text)
        guard let found = find(in: words) else { return nil }
        return (resolve(found), words.removing(found.range))
    }

    /// The moment a found phrase means, with the default times.
    func resolve(_ found: Found, defaultDay: Date? = nil) -> Date {
        if let exact = found.exact { return exact }
        if let day = found.day ?? defaultDay {
            let time = found.time ?? (calendar.isDate(day, inSameDayAs: now) ? (18, 0) : (9, 0))
            return at(time, on: day)
        }
        let time = found.time ?? (9, 0)
        let today = at(time, on: now)
        return today > now ? today : at(time, on: calendar.date(byAdding: .day, value: 1, to: now) ?? now)
    }

    func at(_ time: (hour: Int, minute: Int), on day: Date) -> Date {
        calendar.date(bySettingHour: time.hour, minute: time.minute, second: 0, of: day) ?? day
    }

    /// The first date phrase in the words, with an adjacent time of day folded in.
    func find(in words: Words) -> Found? {
        let lower = words.lower
        for index in lower.indices {
            guard var found = day(at: index, lower) ?? timeOnly(at: index, lower) else { continue }
            if found.exact == nil, let time = time(at: found.range.upperBound, lower) {
                // "this evening at 7": the hour said wins, in the part of the day named.
                var value = time.value
                if let part = found.time, part.hour >= 12, value.hour < 12 { value.hour += 12 }
                found.time = value
                found.range = found.range.lowerBound..<time.end
            } else if found.day == nil, found.exact == nil {
                // "at 5pm tomorrow", "at 9 on friday"
                let skip = lower[safe: found.range.upperBound] == "on" ? 1 : 0
                if let day = day(at: found.range.upperBound + skip, lower), day.exact == nil, day.time == nil {
                    found.day = day.day
                    found.range = found.range.lowerBound..<day.range.upperBound
                }
            }
            var start = found.range.lowerBound
            // "till the end of the month": "the" belongs to the phrase after a lead word.
            while start > 0, Self.leads.contains(lower[start - 1]) || (lower[start - 1] == "the" && Self.leads.contains(lower[safe: start - 2])) {
                start -= 1
            }
            found.range = start..<found.range.upperBound
            return found
        }
        return nil
    }

    /// A day phrase starting at `index`.
    func day(at index: Int, _ lower: [String]) -> Found? {
        guard lower.indices.contains(index) else { return nil }
        let word = lower[index]
        let next = lower[safe: index + 1]
        let today = startOfDay(now)
        func found(_ day: Date?, _ length: Int, time: (Int, Int)? = nil) -> Found? {
            day.map { Found(day: $0, time: time.map { (hour: $0.0, minute: $0.1) }, range: index..<(index + length)) }
        }
        switch word {
        case "today": return found(today, 1)
        case "tonight": return found(today, 1, time: (20, 0))
        case "tomorrow", "tmrw", "tmr", "tomorow", "tommorow", "tommorrow":
            if let part = Self.partOfDay(next) { return found(addDays(1), 2, time: part) }
            return found(addDays(1), 1)
        case "this":
            if let part = Self.partOfDay(next), next != "night" { return found(today, 2, time: part) }
            if next == "weekend" { return found(upcoming(weekday: 7), 2) }
        case "next":
            if next == "week" { return found(endOfWeek, 2) }
            if next == "weekend" { return found(upcoming(weekday: 7), 2) }
        case "weekend":
            return found(upcoming(weekday: 7), 1)
        case "the":
            if next == "weekend" { return found(upcoming(weekday: 7), 2) }
            if next == "day", lower[safe: index + 2] == "after", lower[safe: index + 3] == "tomorrow" { return found(addDays(2), 4) }
            if let ordinal = Self.ordinal(next) { return monthDay(ordinal, at: index, length: 2, lower) }
        case "day":
            if next == "after", lower[safe: index + 2] == "tomorrow" { return found(addDays(2), 3) }
        case "end", "eod":
            if word == "eod" { return found(today, 1, time: (17, 0)) }
            let offset = next == "of" ? 1 : 0
            let article = lower[safe: index + 1 + offset] == "the" ? 1 : 0
            let unit = lower[safe: index + 1 + offset + article]
            let length = 2 + offset + article
            if unit == "day" { return found(today, length, time: (17, 0)) }
            if unit == "week" { return found(upcoming(weekday: 6, includingToday: true), length, time: (17, 0)) }
            if unit == "month" {
                let last = calendar.dateInterval(of: .month, for: now).flatMap { calendar.date(byAdding: .day, value: -1, to: $0.end) }
                return found(last.map(startOfDay), length, time: (17, 0))
            }
        case "in", "within":
            return later(at: index, lower)
        default:
            break
        }
        if let weekday = Self.weekday(word) {
            if let part = Self.partOfDay(next), next != "night" { return found(upcoming(weekday: weekday), 2, time: part) }
            return found(upcoming(weekday: weekday), 1)
        }
        if let month = Self.month(word) {
            if let dayNumber = Self.ordinal(next) ?? Int(next) {
                return calendarDay(month: month, day: dayNumber, year: Int(lower[safe: index + 2]), at: index, length: 2)
            }
            return nil
        }
        if let dayNumber = Self.ordinal(word) ?? (Int(word).flatMap { $0 <= 31 ? $0 : nil }) {
            let ofLength = next == "of" ? 1 : 0
            if let month = Self.month(lower[safe: index + 1 + ofLength]) {
                return calendarDay(month: month, day: dayNumber, year: nil, at: index, length: 2 + ofLength)
            }
            if Self.ordinal(word) != nil, index > 0, lower[index - 1] == "on" { return monthDay(dayNumber, at: index, length: 1, lower) }
        }
        if let date = isoDay(word) { return found(date, 1) }
        // "24/12" at the end or after "on"/"by"/"due"; "1/2 gallon" inside a title is not a date.
        if index == lower.count - 1 || Self.leads.contains(lower[safe: index - 1]), let date = slashDay(word) { return found(date, 1) }
        return nil
    }

    /// "in 3 days", "in a week", "in 2 hours", "in 30 minutes".
    func later(at index: Int, _ lower: [String]) -> Found? {
        var position = index + 1
        if lower[safe: position] == "a", lower[safe: position + 1] == "couple" { position += 1 }
        guard let amount = Int(lower[safe: position]) ?? Self.numberWords[lower[safe: position]] else { return nil }
        if lower[safe: position + 1] == "of" { position += 1 }
        let unit = lower[safe: position + 1]
        let range = index..<(position + 2)
        if unit.hasPrefix("min") || unit.hasPrefix("hour") || unit.hasPrefix("hr") {
            let seconds = Double(amount) * (unit.hasPrefix("min") ? 60 : 3600)
            return Found(exact: now.addingTimeInterval(seconds), range: range)
        }
        let component: Calendar.Component? = unit.hasPrefix("day") ? .day : unit.hasPrefix("week") ? .weekOfYear : unit.hasPrefix("month") ? .month : nil
        guard let component, let day = calendar.date(byAdding: component, value: amount, to: startOfDay(now)) else { return nil }
        return Found(day: day, range: range)
    }

    /// "the 15th": this month when still ahead, else next month.
    func monthDay(_ dayNumber: Int, at index: Int, length: Int, _ lower: [String]) -> Found? {
        if lower[safe: index + length] == "of", let month = Self.month(lower[safe: index + length + 1]) {
            return calendarDay(month: month, day: dayNumber, year: nil, at: index, length: length + 2)
        }
        var components = calendar.dateComponents([.year, .month], from: now)
        components.day = dayNumber
        guard (1...31).contains(dayNumber), var date = calendar.date(from: components) else { return nil }
        // Past, or a day this month lacks ("the 31st" in November): the next month that has it.
        var tries = 0
        while date < startOfDay(now) || calendar.component(.day, from: date) != dayNumber {
            tries += 1
            components.month = (components.month ?? 1) + 1
            guard tries <= 12, let next = calendar.date(from: components) else { return nil }
            date = next
        }
        return Found(day: date, range: index..<(index + length))
    }

    func calendarDay(month: Int, day: Int, year: Int?, at index: Int, length: Int) -> Found? {
        let explicitYear = year.flatMap { $0 > 2000 && $0 < 2200 ? $0 : nil }
        guard let date = dayOf(year: explicitYear, month: month, day: day) else { return nil }
        return Found(day: date, range: index..<(index + length + (explicitYear == nil ? 0 : 1)))
    }

    /// The date of this month and day in `year`, or the next one not yet past.
    func dayOf(year: Int?, month: Int, day: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        let thisYear = calendar.component(.year, from: now)
        guard let date = calendar.date(from: DateComponents(year: year ?? thisYear, month: month, day: day)),
              calendar.component(.day, from: date) == day
        else { return nil }
        if year == nil, date < startOfDay(now) { return calendar.date(from: DateComponents(year: thisYear + 1, month: month, day: day)) }
        return date
    }

    /// A time of day alone: "at 5pm", "5pm", "at noon", "tonight" is a day phrase.
    func timeOnly(at index: Int, _ lower: [String]) -> Found? {
        if lower[index] == "at" || lower[index] == "around", let time = time(at: index, lower) {
            return Found(time: time.value, range: index..<time.end)
        }
        if let time = time(at: index, lower), lower[index].contains(where: \.isLetter) || lower[index].contains(":") {
            return Found(time: time.value, range: index..<time.end)
        }
        if lower[index] == "in", lower[safe: index + 1] == "the", let part = Self.partOfDay(lower[safe: index + 2]), lower[safe: index + 2] != "night" {
            return Found(time: part, range: index..<(index + 3))
        }
        return nil
    }

    /// A time at `index`, "at 5pm" / "5 pm" / "17:30" / "noon", and where it ends.
    func time(at index: Int, _ lower: [String]) -> (value: (hour: Int, minute: Int), end: Int)? {
        var position = index
        if lower[safe: position] == "at" || lower[safe: position] == "around" { position += 1 }
        let word = lower[safe: position]
        if word == "noon" || word == "midday" { return ((12, 0), position + 1) }
        if position == index, !(word.hasSuffix("am") || word.hasSuffix("pm") || word.contains(":")) { return nil }
        let suffix = lower[safe: position + 1]
        if suffix == "am" || suffix == "pm" || suffix == "a.m" || suffix == "p.m", let value = clock(word + suffix.prefix(1) + "m") {
            return (value, position + 2)
        }
        guard let value = clock(word) else { return nil }
        return (value, position + 1)
    }

    /// "9", "9am", "9pm", "17:30", "5:15pm"; a bare hour 1–7 is in the afternoon.
    func clock(_ word: String) -> (hour: Int, minute: Int)? {
        var text = word.replacingOccurrences(of: ".", with: ":")
        var meridiem: String?
        for suffix in ["am", "pm"] where text.hasSuffix(suffix) {
            meridiem = suffix
            text.removeLast(2)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let hour = Int(parts[0]), parts[0].count <= 2 else { return nil }
        let minute = parts.count > 1 ? Int(parts[1]) : 0
        guard let minute, (0...59).contains(minute) else { return nil }
        switch meridiem {
        case "am": return (1...12).contains(hour) ? (hour % 12, minute) : nil
        case "pm": return (1...12).contains(hour) ? (hour % 12 + 12, minute) : nil
        default:
            guard (0...23).contains(hour) else { return nil }
            return (parts.count == 1 && (1...7).contains(hour) ? hour + 12 : hour, minute)
        }
    }

    static func partOfDay(_ word: String) -> (Int, Int)? {
        switch word {
        case "morning": (9, 0)
        case "afternoon": (15, 0)
        case "evening": (18, 0)
        case "night": (20, 0)
        case "noon", "lunchtime": (12, 0)
        default: nil
        }
    }

    /// 1 = Sunday.
    static func weekday(_ word: String) -> Int? {
        if let index = weekdays.firstIndex(of: word) { return index + 1 }
        if let number = weekdayAbbreviations[word] { return number }
        let plural = word.hasSuffix("s") ? String(word.dropLast()) : word
        return weekdays.firstIndex(of: plural).map { $0 + 1 }
    }

    static func month(_ word: String) -> Int? {
        let trimmed = word.hasSuffix(".") ? String(word.dropLast()) : word
        guard trimmed.count >= 3 else { return nil }
        if trimmed == "sept" { return 9 }
        return months.firstIndex { $0 == trimmed || ($0.hasPrefix(trimmed) && trimmed.count == 3) }.map { $0 + 1 }
    }

    /// "1st", "2nd", "15th", "23rd".
    static func ordinal(_ word: String) -> Int? {
        for suffix in ["st", "nd", "rd", "th"] where word.hasSuffix(suffix) {
            if let value = Int(word.dropLast(2)), (1...31).contains(value) { return value }
        }
        return nil
    }

    func addDays(_ days: Int) -> Date? { calendar.date(byAdding: .day, value: days, to: startOfDay(now)) }

    func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    /// The first date after today with this weekday (1 = Sunday): "friday", "this friday" and "next friday" alike.
    func upcoming(weekday: Int, includingToday: Bool = false) -> Date? {
        let today = calendar.component(.weekday, from: now)
        let ahead = (weekday - today + 7) % 7
        return calendar.date(byAdding: .day, value: ahead == 0 && !includingToday ? 7 : ahead, to: startOfDay(now))
    }

    func isoDay(_ word: String) -> Date? {
        let parts = word.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), parts[0].count == 4 else { return nil }
        return dayOf(year: year, month: month, day: day)
    }

    /// Day/month ("24/12", "3/1/2027"), or month/day when the second number is over 12 ("12/24").
    func slashDay(_ word: String) -> Date? {
        let parts = word.split(separator: "/").map { Int($0) }
        guard parts.count == 2 || parts.count == 3, let first = parts[0], let second = parts[1] else { return nil }
        let year = parts.count == 3 ? parts[2].map { $0 < 100 ? 2000 + $0 : $0 } : nil
        if parts.count == 3, year == nil { return nil }
        return second > 12 ? dayOf(year: year, month: first, day: second) : dayOf(year: year, month: second, day: first)
    }

    /// This week's end: next Monday 00:00.
    var endOfWeek: Date {
        let interval = calendar.dateInterval(of: .weekOfYear, for: now)
        return interval?.end ?? now.addingTimeInterval(7 * 86_400)
    }

    /// ISO 8601 with the user's offset, as the tools take it.
    func format(_ date: Date) -> String {
        iso.string(from: date)
    }

    /// "Wed, Dec 2, 09:00", as answers show a date.
    func readable(_ date: Date) -> String {
        readableFormatter.string(from: date)
    }
}

/// A sentence as words: the originals, to give back what is left, and lowercased forms without surrounding
/// punctuation, to read.
struct Words {
    let original: [String]
    let lower: [String]

    init(_ text: String) {
        original = text.split(whereSeparator: \.isWhitespace).map(String.init)
        lower = original.map { $0.lowercased().trimmingCharacters(in: Self.edges) }
    }

    static let edges = CharacterSet(charactersIn: ",;!?\"'“”()[]").union(.whitespaces).union(CharacterSet(charactersIn: "."))

    func removing(_ range: Range<Int>) -> String {
        var words = original
        words.removeSubrange(range)
        return words.joined(separator: " ")
    }
}

extension Array where Element == String {
    subscript(safe index: Int) -> String { index >= 0 && index < count ? self[index] : "" }
}
