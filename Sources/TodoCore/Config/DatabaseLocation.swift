import Foundation

/// Where the store lives, parsed from `DATABASE_URL`.
public enum DatabaseLocation: Equatable, Sendable {
    /// The embedded default when `DATABASE_URL` is unset.
    public static let defaultSQLitePath = "./data/todo.sqlite"

    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(PostgresLocation)

    /// True for SQLite, which migrates itself at startup.
    public var isEmbedded: Bool {
        if case .postgres = self { return false }
        return true
    }

    /// A description safe for logs: no password.
    public var redacted: String {
        switch self {
        case .sqliteFile(let path): "sqlite:\(path)"
        case .sqliteMemory: "sqlite::memory:"
        case .postgres(let location): location.redacted
        }
    }

    /// Parses `sqlite:///abs/path`, `sqlite:relative/path`, `sqlite::memory:`, `postgres://` and `postgresql://`.
    /// Errors never include the URL, since it may hold a password.
    public static func parse(_ raw: String?) throws(ConfigError) -> DatabaseLocation {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            return .sqliteFile(path: defaultSQLitePath)
        }
        let lowered = raw.lowercased()
        if lowered.hasPrefix("sqlite:") {
            return try parseSQLite(String(raw.dropFirst("sqlite:".count)))
        }
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            return .postgres(try PostgresLocation.parse(raw))
        }
        throw fail("must start with postgres://, postgresql:// or sqlite: (e.g. sqlite:///var/lib/todo.sqlite)")
    }

    static func fail(_ problem: String) -> ConfigError {
        ConfigError(key: "DATABASE_URL", problem: problem)
    }

    private static func parseSQLite(_ rest: String) throws(ConfigError) -> DatabaseLocation {
        var path = rest
        if path.hasPrefix("//") { path.removeFirst(2) }
        if path == ":memory:" { return .sqliteMemory }
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        path = path.removingPercentEncoding ?? path
        guard !path.isEmpty else { throw fail("a sqlite URL needs a path, e.g. sqlite:///var/lib/todo.sqlite or sqlite::memory:") }
        return .sqliteFile(path: path)
    }
}

/// A PostgreSQL connection target, accepting connection strings exactly as Neon prints them.
public struct PostgresLocation: Equatable, Sendable {
    /// libpq's `sslmode` values that the product supports.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public static let supportedParameters = [
        "sslmode", "sslrootcert", "channel_binding", "options", "application_name", "connect_timeout",
    ]

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode
    /// A PEM file of trusted roots; nil (or `system`) uses the system's roots.
    public var rootCertificatePath: String?
    /// libpq's `options` startup parameter, e.g. `endpoint=ep-cool-name-123456` for clients without SNI.
    public var startupOptions: String?
    public var applicationName: String?
    public var connectTimeoutSeconds: Int?

    public var redacted: String {
        "postgresql://\(username)@\(host):\(port)/\(database)?sslmode=\(tlsMode.rawValue)"
    }

    static func parse(_ raw: String) throws(ConfigError) -> PostgresLocation {
        guard let components = URLComponents(string: raw) else {
            throw DatabaseLocation.fail("is not a valid URL (percent-encode special characters in the password)")
        }
        guard let host = components.host?.removingPercentEncoding, !host.isEmpty else {
            throw DatabaseLocation.fail("has no host")
        }
        guard let username = components.user?.removingPercentEncoding, !username.isEmpty else {
            throw DatabaseLocation.fail("has no user name")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw DatabaseLocation.fail("port must be 1-65535") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.removingPercentEncoding ?? path
        var location = PostgresLocation(
            host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host,
            port: port, username: username,
            password: components.percentEncodedPassword.flatMap { $0.removingPercentEncoding },
            database: database.isEmpty ? username : database, tlsMode: .prefer
        )
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw DatabaseLocation.fail(
                        "sslmode '\(value)' is not supported; use one of \(TLSMode.allowedValues)"
                    )
                }
                location.tlsMode = mode
            case "sslrootcert":
                location.rootCertificatePath = value == "system" || value.isEmpty ? nil : value
            case "channel_binding":
                // SCRAM channel binding is negotiated by the driver when the server offers it.
                guard ["disable", "prefer", "require"].contains(value) else {
                    throw DatabaseLocation.fail("channel_binding must be disable, prefer or require")
                }
            case "options":
                location.startupOptions = value.isEmpty ? nil : value
            case "application_name":
                location.applicationName = value.isEmpty ? nil : value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw DatabaseLocation.fail("connect_timeout must be a positive number of seconds")
                }
                location.connectTimeoutSeconds = seconds
            default:
                throw DatabaseLocation.fail(
                    "parameter '\(item.name)' is not supported (supported: \(supportedParameters.joined(separator: ", ")))"
                )
            }
        }
        return location
    }

    public init(
        host: String, port: Int = 5432, username: String, password: String?, database: String,
        tlsMode: TLSMode = .prefer, rootCertificatePath: String? = nil, startupOptions: String? = nil,
        applicationName: String? = nil, connectTimeoutSeconds: Int? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
        self.rootCertificatePath = rootCertificatePath
        self.startupOptions = startupOptions
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }
}

/// A location prints without its password, however it is printed or dumped.
extension PostgresLocation: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { redacted }
    public var debugDescription: String { redacted }
    public var customMirror: Mirror { Mirror(self, children: ["redacted": redacted], displayStyle: .struct) }
}
