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

    @Option(name: .customLong("task-page-cache-mb"), help: "Megabytes of task pages serve-api keeps and serves again while the user's tasks are unchanged (0 = off). [env: TASK_PAGE_CACHE_MB] (default: 16)")
    var taskPageCacheMB: String?

    @Option(name: .long, help: ArgumentHelp("PEM certificate chain; with --tls-key-file the server speaks HTTPS. [env: TLS_CERT_FILE]", valueName: "path"))
    var tlsCertFile: String?

    @Option(name: .long, help: ArgumentHelp("PEM private key of --tls-cert-file. [env: TLS_KEY_FILE]", valueName: "path"))
    var tlsKeyFile: String?

    @Option(name: .long, help: "Time for a whole request head, and for a TLS handshake, e.g. 10s. [env: HEADER_TIMEOUT] (default: 10s)")
    var headerTimeout: String?

    @Option(name: .long, help: "Time for a request body after its head; then 408. [env: BODY_TIMEOUT] (default: 30s)")
    var bodyTimeout: String?

    @Option(name: .long, help: "How long an idle keep-alive connection stays open. [env: IDLE_TIMEOUT] (default: 75s)")
    var idleTimeout: String?

    @Option(name: .long, help: "Open connections held at once. [env: MAX_CONNECTIONS] (default: 2000)")
    var maxConnections: String?

    @Option(name: .long, help: "CIDRs whose X-Forwarded-For is believed, or none. [env: TRUSTED_PROXIES] (default: 127.0.0.0/8,::1/128)")
    var trustedProxies: String?

    var settingValues: [(SettingKey, String?)] {
        [
            (.host, host), (.port, port), (.shutdownTimeout, shutdownTimeout), (.migrateOnStart, migrateOnStart), (.taskPageCacheMB, taskPageCacheMB),
            (.tlsCertFile, tlsCertFile), (.tlsKeyFile, tlsKeyFile), (.headerTimeout, headerTimeout),
            (.bodyTimeout, bodyTimeout), (.idleTimeout, idleTimeout), (.maxConnections, maxConnections),
            (.trustedProxies, trustedProxies),
        ]
    }
}
