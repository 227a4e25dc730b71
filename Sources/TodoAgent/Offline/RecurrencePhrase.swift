import Foundation
import TodoCore

/// How often a task repeats, in everyday words: "every day", "daily", "weekly", "every monday" (weekly from the
/// next Monday), "every month on the 1st" (monthly from the next 1st). Repeats the tools cannot store ("every
/// weekday", "every 2 weeks", "yearly") are reported as unsupported, never approximated.
struct RecurrencePhrase: Equatable {
    var recurrence: Recurrence
    /// The first occurrence the words name, if any: a weekday (1 = Sunday) or a day of the month.
    var weekday: Int?
    var monthDay: Int?
    /// A time of day the words imply ("every morning").
    var hour: Int?

    enum Extraction {
        case none
        case found(RecurrencePhrase, rest: String)
        case unsupported(String)
    }

    static func extract(from text: String) -> Extraction {
        let words = Words(text)
        let lower = words.lower
        for index in lower.indices {
            let word = lower[index]
            let next = lower[safe: index + 1]
            var phrase: RecurrencePhrase?
            var length = 1
            switch word {
            case "every", "each":
                length = 2
                switch next {
                case "day", "night", "evening", "morning":
                    phrase = RecurrencePhrase(recurrence: .daily, hour: DatePhrase.partOfDay(next).map(\.0).flatMap { next == "day" ? nil : $0 })
                case "week": phrase = RecurrencePhrase(recurrence: .weekly)
                case "month": phrase = RecurrencePhrase(recurrence: .monthly)
                case "weekday", "weekdays", "workday", "workdays", "weekend", "weekends", "year", "other", "second", "couple",
                     "few", "fortnight", "quarter", "hour", "minute":
                    return .unsupported(words.original[index..<min(lower.count, index + 3)].joined(separator: " "))
                default:
                    if let weekday = DatePhrase.weekday(next) {
                        phrase = RecurrencePhrase(recurrence: .weekly, weekday: weekday)
                        if let part = DatePhrase.partOfDay(lower[safe: index + 2]) {
                            phrase?.hour = part.0
                            length = 3
                        }
                    } else if let day = DatePhrase.ordinal(next) {
                        // "every 1st of the month"
                        var end = index + 2
                        if lower[safe: end] == "of" { end += 1 }
                        if lower[safe: end] == "the" { end += 1 }
                        if lower[safe: end] == "month" { end += 1 }
                        phrase = RecurrencePhrase(recurrence: .monthly, monthDay: day)
                        length = end - index
                    } else if Int(next) != nil || DatePhrase.numberWords[next] != nil {
                        return .unsupported(words.original[index..<min(lower.count, index + 3)].joined(separator: " "))
                    }
                }
            case "daily", "everyday", "nightly": phrase = RecurrencePhrase(recurrence: .daily)
            case "weekly": phrase = RecurrencePhrase(recurrence: .weekly)
            case "monthly": phrase = RecurrencePhrase(recurrence: .monthly)
            case "yearly", "annually", "biweekly", "fortnightly", "quarterly", "hourly":
                return .unsupported(words.original[index])
            case "twice", "thrice":
                return .unsupported(words.original[index..<min(lower.count, index + 3)].joined(separator: " "))
            default:
                // "on the 1st of every month"
                if let day = DatePhrase.ordinal(word), next == "of", ["every", "each"].contains(lower[safe: index + 2]),
                   lower[safe: index + 3] == "month" {
                    var start = index
                    if start > 0, lower[start - 1] == "the" { start -= 1 }
                    if start > 0, lower[start - 1] == "on" { start -= 1 }
                    return .found(RecurrencePhrase(recurrence: .monthly, monthDay: day), rest: words.removing(start..<(index + 4)))
                }
            }
            guard var found = phrase else { continue }
            var end = index + length
            // "every month on the 1st", "monthly on the 15th"
            if found.recurrence == .monthly, found.monthDay == nil {
                var position = end
                if lower[safe: position] == "on" { position += 1 }
                if lower[safe: position] == "the" { position += 1 }
                if let day = DatePhrase.ordinal(lower[safe: position]) {
                    found.monthDay = day
                    end = position + 1
                }
            }
            // "weekly on mondays"
            if found.recurrence == .weekly, found.weekday == nil, lower[safe: end] == "on", let weekday = DatePhrase.weekday(lower[safe: end + 1]) {
                found.weekday = weekday
                end += 2
            }
            var start = index
            if start > 0, ["repeat", "repeats", "repeating", "recurring", "and"].contains(lower[start - 1]) { start -= 1 }
            return .found(found, rest: words.removing(start..<end))
        }
        return .none
    }
}

extension DatePhrase {
    /// The first due date of a repeating task: the day its words name, the time said, or none at all.
    func firstDue(of phrase: RecurrencePhrase, time found: Found?) -> Date? {
        let time = found?.time ?? phrase.hour.map { (hour: $0, minute: 0) }
        if let weekday = phrase.weekday, let day = upcoming(weekday: weekday, includingToday: true) {
            let due = at(time ?? (9, 0), on: day)
            return due > now ? due : upcoming(weekday: weekday).map { at(time ?? (9, 0), on: $0) }
        }
        if let dayOfMonth = phrase.monthDay, let day = self.monthDay(dayOfMonth, at: 0, length: 1, [""])?.day {
            let due = at(time ?? (9, 0), on: day)
            if due > now { return due }
            return calendar.date(byAdding: .month, value: 1, to: due)
        }
        if let found, found.day != nil || found.exact != nil { return resolve(found) }
        guard let time else { return nil }
        return resolve(Found(time: time, range: 0..<0))
    }
}
