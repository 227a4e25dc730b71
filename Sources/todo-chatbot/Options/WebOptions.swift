import ArgumentParser
import TodoCore

/// Where serve-web sends `/api`.
struct WebOptions: SettingOptions {
    @Option(name: .long, help: ArgumentHelp("serve-api's base URL, e.g. http://api:8000. [env: API_URL] (default: http://127.0.0.1:8000)", valueName: "url"))
    var apiURL: String?

    var settingValues: [(SettingKey, String?)] { [(.apiURL, apiURL)] }
}
