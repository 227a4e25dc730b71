import Foundation

/// ISO-8601 timestamps: the one parser and formatter used by the API, the stores and the tools.
///
/// Hand-written because Foundation's formatters allocate per call and accept ambiguous forms;
/// this accepts only full date-times with an explicit zone, which is what the domain requires.
public enum Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fraction]](Z|±HH:MM|±HHMM)`. Returns nil without a time zone.
    public static func parse(_ text: some StringProtocol) -> Date? {
        // Read in place: a list of tasks parses several of these per row, and a copy of each was most of the cost.
        var text = String(text)
        return text.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                let byte = bytes[index + offset]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
              let day = number(2), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: "t")
                || bytes[index] == UInt8(ascii: " ")
        else { return nil }
        index += 1
        guard let hour = number(2), expect(UInt8(ascii: ":")), let minute = number(2), hour < 24, minute < 60
        else { return nil }
        var second = 0
        var fraction = 0.0
        if expect(UInt8(ascii: ":")) {
            guard let parsed = number(2), parsed < 61 else { return nil }
            second = min(parsed, 59)
            if expect(UInt8(ascii: ".")) || expect(UInt8(ascii: ",")) {
                var scale = 0.1
                var digits = 0
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    fraction += Double(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                    digits += 1
                }
                guard digits > 0 else { return nil }
            }
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            index += 1
        } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = number(2), offsetHours < 24 else { return nil }
            _ = expect(UInt8(ascii: ":"))
            guard let offsetMinutes = number(2), offsetMinutes < 60 else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// `date` rounded to the nearest millisecond: the precision the API shows and SQLite stores. Tasks keep their times
    /// at it on every store, so a task built in Swift is exactly the task its row reads back as.
    public static func wholeMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// Formats as UTC with milliseconds, e.g. `2026-11-29T20:40:23.123Z`; such strings sort in time order. Rounded to
    /// the nearest millisecond, so formatting what `parse` read gives the same text back.
    public static func format(_ date: Date) -> String {
        format(date, fractionDigits: 3)
    }

    /// Formats in `zone` to the second with its offset, e.g. `2026-12-01T09:00:00+13:00`: how the agent's tools
    /// show dates, so a model that reasons in the user's local time reads them without converting.
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondsOfDay = local - days * 86_400
        let (year, month, day) = civilFromDays(days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let minutes = abs(offset) / 60
        return "\(year)-\(two(month))-\(two(day))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay % 3600 / 60)):\(two(secondsOfDay % 60))"
            + (offset < 0 ? "-" : "+") + two(minutes / 60) + ":" + two(minutes % 60)
    }

    /// Formats as UTC with microseconds, e.g. `2026-11-29T20:40:23.123456Z`: the precision PostgreSQL keeps, for
    /// keyset cursors that must name a row's timestamp exactly.
    public static func formatMicroseconds(_ date: Date) -> String {
        format(date, fractionDigits: 6)
    }

    static func format(_ date: Date, fractionDigits: Int) -> String {
        var out = [UInt8]()
        out.reserveCapacity(27)
        write(date, fractionDigits: fractionDigits, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `format(date)` to `out` without a string in between, for writers of JSON.
    public static func write(_ date: Date, into out: inout [UInt8]) {
        write(date, fractionDigits: 3, into: &out)
    }

    static func write(_ date: Date, fractionDigits: Int, into out: inout [UInt8]) {
        let scale = fractionDigits == 6 ? 1_000_000 : 1000
        let total = Int((date.timeIntervalSince1970 * Double(scale)).rounded())
        let fraction = ((total % scale) + scale) % scale
        let totalSeconds = (total - fraction) / scale
        let secondsOfDay = ((totalSeconds % 86_400) + 86_400) % 86_400
        let days = (totalSeconds - secondsOfDay) / 86_400
        let (year, month, day) = civilFromDays(days)
        // Written into a stack buffer and appended once: appending byte by byte checked the array's capacity and
        // uniqueness 24 times per date, and a task list writes several dates per task.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
            var end = 0
            func put(_ value: Int, width: Int) {
                var rest = value
                for offset in stride(from: width - 1, through: 0, by: -1) {
                    buffer[end + offset] = UInt8(48 + rest % 10)
                    rest /= 10
                }
                end += width
            }
            func put(_ byte: Unicode.Scalar) {
                buffer[end] = UInt8(ascii: byte)
                end += 1
            }
            put(year, width: 4); put("-"); put(month, width: 2); put("-"); put(day, width: 2); put("T")
            put(secondsOfDay / 3600, width: 2); put(":"); put(secondsOfDay % 3600 / 60, width: 2); put(":")
            put(secondsOfDay % 60, width: 2); put("."); put(fraction, width: fractionDigits); put("Z")
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<end]))
        }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact proleptic Gregorian arithmetic.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
