import ArgumentParser
import TodoCore

/// Options every subcommand shares: logging and the `.env` file.
struct GlobalOptions: SettingOptions {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical. [env: LOG_LEVEL] (default: info)")
    var logLevel: String?

    @Option(name: .long, help: "Log format: text or json (one JSON object a line). [env: LOG_FORMAT] (default: text)")
    var logFormat: String?

    @Option(name: .long, help: "Read settings from this file instead of ./.env (it must exist).", completion: .file())
    var envFile: String?

    var settingValues: [(SettingKey, String?)] {
        [(.logLevel, logLevel), (.logFormat, logFormat)]
    }
}
