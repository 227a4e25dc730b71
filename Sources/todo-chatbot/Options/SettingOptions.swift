import ArgumentParser
import TodoCore

/// An option group whose options set configuration keys; the flags it contributes are derived from one list.
protocol SettingOptions: ParsableArguments {
    /// Each key this group sets, with the flag's value if it was given.
    var settingValues: [(SettingKey, String?)] { get }
}

extension SettingOptions {
    /// The given flags by key, for `ConfigSources.flags`.
    var flags: [String: String] {
        var flags: [String: String] = [:]
        for (key, value) in settingValues { flags[key.rawValue] = value }
        return flags
    }
}
