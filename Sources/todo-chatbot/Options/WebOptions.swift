import ArgumentParser
import TodoCore

/// Where serve-web sends `/api`.
struct WebOptions: SettingOptions {
    @Option(name: .long, help: ArgumentHelp("serve-api's base URL, e.g. http://api:8000. [env: API_URL] (default: http://127.0.0.1:8000)", valueName: "url"))
    var apiURL: String?

    @Option(name: .long, help: ArgumentHelp("PEM CA to trust for an https:// API_URL, besides the system's. [env: API_CA_FILE]", valueName: "path"))
    var apiCAFile: String?

    var settingValues: [(SettingKey, String?)] { [(.apiURL, apiURL), (.apiCAFile, apiCAFile)] }
}
