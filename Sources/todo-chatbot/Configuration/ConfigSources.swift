import TodoCore
/// The layered sources of configuration, highest precedence first: flags, environment, `.env`, defaults.
public struct ConfigSources: Sendable {
    /// Where a value came from, for messages and `--help`.
    public enum Origin: String, Sendable { case flag, environment, envFile = ".env", defaultValue = "default" }

    public var flags: [String: String]
    public var environment: [String: String]
    public var envFile: [String: String]

    public init(flags: [String: String] = [:], environment: [String: String] = [:], envFile: [String: String] = [:]) {
        self.flags = flags
        self.environment = environment
        self.envFile = envFile
    }

    /// The winning raw value of `key`; empty strings count as unset, as in most twelve-factor tools.
    public func value(_ key: String) -> (value: String, origin: Origin)? {
        if let value = flags[key], !value.isEmpty { return (value, .flag) }
        if let value = environment[key], !value.isEmpty { return (value, .environment) }
        if let value = envFile[key], !value.isEmpty { return (value, .envFile) }
        return nil
    }
}
