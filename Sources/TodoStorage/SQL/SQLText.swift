/// What a statement's text says about it, read without copying it (this runs for every query).
enum SQLText {
    /// A plain read: it starts with SELECT (a write with RETURNING starts with its verb) and takes no row locks,
    /// so it may run on a read connection, or twice.
    static func isPlainSelect(_ sql: String) -> Bool {
        startsWithSelect(sql) && !contains(sql.utf8, caseInsensitive: "for update")
    }

    static func startsWithSelect(_ sql: String) -> Bool {
        var utf8 = sql.utf8.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\t") }
        for letter in "select".utf8 {
            guard let first = utf8.first, first | 0x20 == letter else { return false }
            utf8 = utf8.dropFirst()
        }
        return true
    }

    /// Whether `text` contains `pattern` (lowercase ASCII letters and spaces), ignoring ASCII case.
    private static func contains(_ text: String.UTF8View, caseInsensitive pattern: StaticString) -> Bool {
        pattern.withUTF8Buffer { pattern in
            var matched = 0
            var start = text.startIndex
            var index = start
            while index != text.endIndex {
                let byte = text[index]
                if byte | 0x20 == pattern[matched] {
                    if matched == 0 { start = index }
                    matched += 1
                    if matched == pattern.count { return true }
                    index = text.index(after: index)
                } else if matched > 0 {
                    // Start again one past where this attempt began.
                    matched = 0
                    index = text.index(after: start)
                } else {
                    index = text.index(after: index)
                }
            }
            return false
        }
    }
}
