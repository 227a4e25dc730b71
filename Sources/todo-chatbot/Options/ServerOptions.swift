import ArgumentParser
import TodoCore

/// The listener and the process lifecycle of a server role.
struct ServerOptions: SettingOptions {
    @Option(name: .long, help: "Address to listen on; 0.0.0.0 for all interfaces. [env: HOST] (default: 127.0.0.1)")
    var host: String?

    @Option(name: .long, help: "Port to listen on. [env: PORT] (default: 8000 for serve-api)")
    var port: String?

    @Option(name: .long, help: "How long SIGTERM waits for in-flight requests, e.g. 10s. [env: SHUTDOWN_TIMEOUT] (default: 10s)")
    var shutdownTimeout: String?

    @Option(name: .long, help: "Apply PostgreSQL migrations at start (1/0). SQLite always migrates itself. [env: MIGRATE_ON_START] (default: 0)")
    var migrateOnStart: String?

    @Option(name: .long, help: ArgumentHelp("PEM certificate chain; with --tls-key-file the server speaks HTTPS. [env: TLS_CERT_FILE]", valueName: "path"))
    var tlsCertFile: String?

    @Option(name: .long, help: ArgumentHelp("PEM private key of --tls-cert-file. [env: TLS_KEY_FILE]", valueName: "path"))
    var tlsKeyFile: String?

    var settingValues: [(SettingKey, String?)] {
        [
            (.host, host), (.port, port), (.shutdownTimeout, shutdownTimeout), (.migrateOnStart, migrateOnStart),
            (.tlsCertFile, tlsCertFile), (.tlsKeyFile, tlsKeyFile),
        ]
    }
}
