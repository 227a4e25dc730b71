import TodoCore
import Foundation

/// Parses `.env` files: `KEY=value`, optional `export`, `#` comments, single and double quotes.
public enum EnvFile {
    /// Returns the keys and values of `text`; a malformed line is a `ConfigError` naming its line number.
    public static func parse(_ text: String, origin: String = ".env") throws(ConfigError) -> [String: String] {
        var values: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError(key: origin, problem: "line \(number + 1) is not KEY=VALUE")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard isValidKey(key) else {
                throw ConfigError(key: origin, problem: "line \(number + 1) has an invalid key")
            }
            values[key] = try value(String(line[line.index(after: equals)...]), origin: origin, line: number + 1)
        }
        return values
    }

    private static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return key.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }
    }

    private static func value(_ raw: String, origin: String, line: Int) throws(ConfigError) -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard let quote = trimmed.first, quote == "\"" || quote == "'" else {
            // Unquoted: a " #" starts a comment.
            if let comment = trimmed.range(of: " #") { return trimmed[..<comment.lowerBound].trimmingCharacters(in: .whitespaces) }
            return trimmed
        }
        let body = trimmed.dropFirst()
        guard let end = body.lastIndex(of: quote) else {
            throw ConfigError(key: origin, problem: "line \(line) has an unterminated quote")
        }
        let rest = body[body.index(after: end)...].trimmingCharacters(in: .whitespaces)
        guard rest.isEmpty || rest.hasPrefix("#") else {
            throw ConfigError(key: origin, problem: "line \(line) has text after the closing quote")
        }
        let inner = String(body[..<end])
        guard quote == "\"" else { return inner }
        var result = ""
        var escaping = false
        for character in inner {
            if escaping {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
