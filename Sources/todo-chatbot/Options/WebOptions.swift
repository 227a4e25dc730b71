import ArgumentParser
import TodoCore

/// Where serve-web sends `/api`.
struct WebOptions: SettingOptions {
    @Option(name: .long, help: ArgumentHelp("serve-api's base URL, e.g. http://api:8000. [env: API_URL] (default: http://127.0.0.1:8000)", valueName: "url"))
    var apiURL: String?

    @Option(name: .long, help: ArgumentHelp("PEM CA to trust for an https:// API_URL, besides the system's. [env: API_CA_FILE]", valueName: "path"))
    var apiCAFile: String?

    @Option(name: .long, help: "Connections kept to the API; each chat stream holds one. [env: PROXY_CONNECTIONS] (default: 256)")
    var proxyConnections: String?

    var settingValues: [(SettingKey, String?)] { [(.apiURL, apiURL), (.apiCAFile, apiCAFile), (.proxyConnections, proxyConnections)] }
}
