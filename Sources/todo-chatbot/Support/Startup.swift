import ArgumentParser
import Foundation
import Logging
import TodoAPI
import TodoCore

/// Turns options, environment and `.env` into `Settings`, and failures into one line and an exit code.
enum Startup {
    /// Loads settings; a configuration problem prints one line and exits with code 2.
    static func settings(_ global: GlobalOptions, flags: [String: String]) throws -> Settings {
        switch Result(catching: loader(global, flags: flags)) {
        case .success(let settings): return settings
        case .failure(let error): throw fail(error.description, code: 2)
        }
    }

    /// Reads the settings from flags, environment, `.env` and `_FILE` files each time it is called: once at start,
    /// again on SIGHUP.
    static func loader(_ global: GlobalOptions, flags: [String: String]) -> @Sendable () throws(ConfigError) -> Settings {
        let envFilePath = global.envFile
        var allFlags = global.flags
        allFlags.merge(flags) { $1 }
        return { [allFlags] () throws(ConfigError) -> Settings in
            try Settings.load(
                from: ConfigSources(flags: allFlags, environment: ProcessInfo.processInfo.environment, envFile: try readEnvFile(envFilePath))
            )
        }
    }

    static func readEnvFile(_ explicit: String?) throws(ConfigError) -> [String: String] {
        let path = explicit ?? ".env"
        guard FileManager.default.fileExists(atPath: path) else {
            if explicit != nil { throw ConfigError(key: "--env-file", problem: "\(path) does not exist") }
            return [:]
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(key: "--env-file", problem: "\(path) cannot be read")
        }
        return try EnvFile.parse(String(decoding: data, as: UTF8.self), origin: path)
    }

    /// Installs the line log handler once for the process, and returns the root logger.
    static func logger(_ settings: Settings, label: String = "todo-chatbot") -> Logger {
        let level = Logger.Level(rawValue: settings.logLevel.rawValue) ?? .info
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, format: settings.logFormat) }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }

    /// The failure to throw: the root prints `message` once and exits with `code`.
    static func fail(_ message: String, code: Int32 = 1) -> CommandFailure {
        CommandFailure(message: message, code: code)
    }

    /// `error` as the command's failure: a `CommandFailure` from deeper down stays as it is (its line already says
    /// what went wrong), anything else becomes "`what`: its description".
    static func failure(_ what: String, _ error: any Error) -> CommandFailure {
        if let failure = error as? CommandFailure { return failure }
        return fail("\(what): \(describe(error))")
    }

    /// The one-line description of a failure, safe to print (errors never carry secrets).
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as CommandFailure: error.message
        case let error as TodoError: error.message
        case let error as any CustomStringConvertible: error.description
        default: String(describing: error)
        }
    }
}
