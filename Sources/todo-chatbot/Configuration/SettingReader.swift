import Foundation
import TodoCore

/// Turns raw strings into typed values, with one error wording for every key.
struct SettingReader {
    let sources: ConfigSources

    func raw(_ key: SettingKey) -> String? {
        sources.value(key.rawValue).map { $0.value.trimmingCharacters(in: .whitespaces) }
    }

    /// A secret key's value, given directly or as `KEY_FILE`, the path of a file holding it (Docker and Kubernetes
    /// secrets); both at once is an error, since it is unclear which one wins.
    func secret(_ key: SettingKey) throws(ConfigError) -> String? {
        let direct = raw(key)
        guard let path = sources.value(key.rawValue + "_FILE")?.value.trimmingCharacters(in: .whitespaces) else { return direct }
        guard direct == nil else {
            throw ConfigError(key: key.rawValue, problem: "is set both directly and as \(key.rawValue)_FILE; set one of them")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(key: key.rawValue + "_FILE", problem: "'\(path)' cannot be read")
        }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// A path that must name a readable file.
    func readableFile(_ key: SettingKey) throws(ConfigError) -> String? {
        guard let path = raw(key) else { return nil }
        guard FileManager.default.isReadableFile(atPath: path) else { throw fail(key, "'\(path)' is not a readable file") }
        return path
    }

    func fail(_ key: SettingKey, _ problem: String) -> ConfigError {
        ConfigError(key: key.rawValue, problem: problem)
    }

    /// Quotes the value in messages unless the key is secret.
    func shown(_ key: SettingKey, _ value: String) -> String {
        key.isSecret ? "the given value" : "'\(value)'"
    }

    func integer(_ key: SettingKey, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = raw(key) else { return nil }
        guard let number = Int(value), range.contains(number) else {
            throw fail(key, "\(shown(key, value)) is not a whole number in \(range.lowerBound)-\(range.upperBound)")
        }
        return number
    }

    func bool(_ key: SettingKey) throws(ConfigError) -> Bool? {
        guard let value = raw(key)?.lowercased() else { return nil }
        switch value {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw fail(key, "\(shown(key, value)) is not a boolean (use 1/0, true/false, yes/no)")
        }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: SettingKey) throws(ConfigError) -> T? where T.RawValue == String {
        guard let value = raw(key) else { return nil }
        guard let choice = T(anyCase: value) else {
            throw fail(key, "\(shown(key, value)) is not one of \(T.allowedValues)")
        }
        return choice
    }

    func duration(_ key: SettingKey) throws(ConfigError) -> Duration? {
        guard let value = raw(key) else { return nil }
        guard let duration = Self.duration(value) else {
            throw fail(key, "\(shown(key, value)) is not a positive duration (e.g. 5, 5s, 500ms, 2m)")
        }
        return duration
    }

    /// A duration that may also be `0` (off) and has a ceiling of its own.
    func duration(_ key: SettingKey, zeroAllowed: Bool, atMost limit: Duration) throws(ConfigError) -> Duration? {
        guard let value = raw(key) else { return nil }
        if zeroAllowed, let number = Double(value), number == 0 { return .zero }
        guard let duration = Self.duration(value), duration <= limit else {
            throw fail(key, "\(shown(key, value)) is not \(zeroAllowed ? "0 or " : "")a duration up to \(limit) (e.g. 2s, 500ms)")
        }
        return duration
    }

    /// The one duration syntax of every key and flag: seconds (`5`, `2.5`, `5s`), milliseconds (`500ms`) or minutes
    /// (`2m`), positive and at most a day.
    static func duration(_ text: String) -> Duration? {
        let value = text.trimmingCharacters(in: .whitespaces).lowercased()
        let (number, scale): (Substring, Double) =
            if value.hasSuffix("ms") { (value.dropLast(2), 0.001) }
            else if value.hasSuffix("s") { (value.dropLast(1), 1) }
            else if value.hasSuffix("m") { (value.dropLast(1), 60) }
            else { (Substring(value), 1) }
        guard let amount = Double(number), amount > 0, amount * scale <= 86_400 else { return nil }
        return .milliseconds(Int64((amount * scale * 1000).rounded()))
    }

    /// Comma-separated CIDRs or addresses; `none` for an empty list (an empty value means the default).
    func networks(_ key: SettingKey) throws(ConfigError) -> [IPNetwork]? {
        guard let value = raw(key) else { return nil }
        if value.lowercased() == "none" { return [] }
        return try value.split(separator: ",").map { (part) throws(ConfigError) -> IPNetwork in
            guard let network = IPNetwork(part.trimmingCharacters(in: .whitespaces)) else {
                throw fail(key, "'\(part)' is not an IP address or CIDR network like 10.0.0.0/8 (or 'none')")
            }
            return network
        }
    }

    func httpURL(_ key: SettingKey) throws(ConfigError) -> String? {
        guard let value = raw(key) else { return nil }
        guard Self.isHTTPURL(value) else {
            throw fail(key, "\(shown(key, value)) is not an http:// or https:// URL with a host")
        }
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }

    func origins(_ key: SettingKey) throws(ConfigError) -> [String] {
        guard let value = raw(key) else { return [] }
        return try value.split(separator: ",").map { (part) throws(ConfigError) -> String in
            let origin = part.trimmingCharacters(in: .whitespaces)
            guard Self.isHTTPURL(origin), URLComponents(string: origin)?.path.isEmpty ?? false else {
                throw fail(key, "'\(origin)' is not an origin like https://app.example.com")
            }
            return origin
        }
    }

    static func isHTTPURL(_ value: String) -> Bool {
        guard let components = URLComponents(string: value), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return true
    }
}
