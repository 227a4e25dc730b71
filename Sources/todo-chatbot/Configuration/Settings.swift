import Foundation
import TodoAPI
import TodoCore
import TodoMail

/// The validated configuration of every role, read from flags, environment, `.env` and defaults.
public struct Settings: Sendable {
    /// The role a process plays; it decides the default port and the health URL.
    public enum Role: String, Sendable, CaseIterable {
        case api, web, serve

        public var defaultPort: Int { self == .api ? 8000 : 3000 }
        /// The liveness path of the role, which `healthcheck` requests.
        public var healthPath: String { self == .web ? "/api/health" : "/health" }
    }

    /// Log verbosity, from most to least detailed.
    public enum LogLevel: String, Sendable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical
    }

    /// `text` for people, `json` for log collectors (one object a line).
    public enum LogFormat: String, Sendable, CaseIterable { case text, json }

    public var host = "127.0.0.1"
    public var port: Int?
    public var role = Role.api
    public var database = DatabaseLocation.sqliteFile(path: DatabaseLocation.defaultSQLitePath)
    public var databasePoolSize = 10
    public var databaseTimeout = Duration.seconds(5)
    public var migrateOnStart = false
    /// Megabytes of encoded task pages a replica keeps (`TaskPageCache`); 0 is off.
    public var taskPageCacheMB = 16
    /// PEM certificate chain and private key: with both, the server roles speak HTTPS instead of HTTP.
    public var tlsCertFile: String?
    public var tlsKeyFile: String?
    /// PEM CA that serve-web trusts for an `https://` API_URL, besides the system's roots.
    public var apiCAFile: String?
    /// Whether the server roles terminate TLS themselves.
    public var servesTLS: Bool { tlsCertFile != nil && tlsKeyFile != nil }
    /// `BETTER_AUTH_SECRET`: one secret, as Better Auth reads it (a comma is part of it).
    public var betterAuthSecret: String?
    /// `BETTER_AUTH_SECRETS`: Better Auth 1.7's versioned list, `2:new,1:old`, the current one first.
    public var betterAuthSecretVersions: [VersionedSecret] = []
    /// The secrets, the one that signs first; all of them verify, so a secret can be rotated without signing anyone
    /// out. With `BETTER_AUTH_SECRETS`, its values in order (its first signs, as in Better Auth), then
    /// `BETTER_AUTH_SECRET` (Better Auth's legacy secret) when it is not among them; otherwise `BETTER_AUTH_SECRET`.
    public var betterAuthSecrets: [String] {
        let versioned = betterAuthSecretVersions.map(\.value)
        guard let single = betterAuthSecret else { return versioned }
        return versioned.contains(single) ? versioned : versioned + [single]
    }
    public var betterAuthURL: String?
    public var trustedOrigins: [String] = []
    /// Requests a minute per signed-in user, with bursts up to the same number.
    public var rateLimitPerMinute = 120
    /// Sign-in and sign-up attempts a minute per client IP and per email.
    public var authRateLimitPerMinute = 5
    /// Better Auth's rule: sign-in, sign-up, change-password, change-email per 10 s per client address and route.
    public var authRateLimitPer10s = 3
    /// How long a replica trusts a session it verified; the bound on a sign-out elsewhere reaching it. 0 is off.
    public var sessionCacheTTL = Duration.seconds(2)
    public var authJWKSURL: String?
    public var openAIAPIKey: String?
    public var openAIBaseURL: String?
    public var openAIModel = "gpt-4o-mini"
    public var agentMaxSteps = 8
    public var agentTimeout = Duration.seconds(60)
    /// Deadline for the model server's first byte, and the longest silence while it streams.
    public var llmTimeout = Duration.seconds(30)
    /// Retries of a model request after 429, 5xx or a lost connection.
    public var llmMaxRetries = 3
    /// Stored messages of a conversation the model sees again each turn.
    public var chatHistoryLimit = 40
    /// Characters of history the model sees besides its instructions and the latest message.
    public var agentContextChars = 32_000
    /// Model tokens one user may spend per day (UTC); 0 is unlimited.
    public var agentDailyTokensPerUser = 0
    /// How often an idle chat stream gets an SSE comment, so proxies keep it open.
    public var chatHeartbeat = Duration.seconds(15)
    /// Deadline of one tool call, for the agent and MCP clients alike.
    public var toolTimeout = Duration.seconds(15)
    /// The email of the user `todo-chatbot mcp` acts as.
    public var mcpUser: String?
    /// The email of the user `todo-chatbot chat` acts as.
    public var chatUser: String?
    /// Open MCP sessions a user may have; opening one more closes that user's least recently used one.
    public var mcpSessionsPerUser = 10
    /// An MCP session unused this long is closed.
    public var mcpSessionIdleTimeout = Duration.seconds(30 * 60)
    public var apiURL = "http://127.0.0.1:8000"
    public var logLevel = LogLevel.info
    public var logFormat = LogFormat.text
    public var shutdownTimeout = Duration.seconds(10)
    /// A connection must finish sending a request head within this, counted from when it opened or its last
    /// response ended; slow-header clients (slowloris) are cut off after it.
    public var headerTimeout = Duration.seconds(10)
    /// A request body must arrive within this after its head, or the answer is 408.
    public var bodyTimeout = Duration.seconds(30)
    /// A keep-alive connection with nothing in flight is closed after this.
    public var idleTimeout = Duration.seconds(75)
    /// Open connections a server role accepts at once; beyond it, new ones wait in the kernel's backlog.
    public var maxConnections = 2000
    /// Connections serve-web keeps to the API: enough that long chat streams cannot starve short requests.
    public var proxyConnections = 256
    /// Peers whose `X-Forwarded-For` is believed, read right to left; everyone else is their TCP address.
    public var trustedProxies = IPNetwork.loopback
    /// Whether HS256 tokens signed with `BETTER_AUTH_SECRET` are accepted (the hackathon backends' tokens).
    public var acceptHS256Tokens = false
    /// The session cookie's `SameSite`; `none` needs an https `BETTER_AUTH_URL`.
    public var cookieSameSite = CookieSameSite.lax
    /// `iss` and `aud` that tokens of the external Better Auth (`AUTH_JWKS_URL`) must carry.
    public var authJWKSIssuer: String?
    public var authJWKSAudience: String?
    /// Chat turns one user may run at once; one more is a 429.
    public var chatTurnsPerUser = 3
    public var reminderPollInterval = Duration.seconds(5)
    /// Where due reminders are also POSTed; needs `reminderWebhookSecret`.
    public var reminderWebhookURL: String?
    public var reminderWebhookSecret: String?
    public var reminderWebhookAttempts = 8
    public var eventsPollInterval = Duration.seconds(1)
    /// The mail server for account emails (`SMTP_URL`, `MAIL_FROM`, `SMTP_CA_FILE`); without it links go to the log.
    public var smtp: SMTPConfiguration?
    /// Sign-in waits until the account's email is verified.
    public var requireEmailVerification = false

    public init() {}

    /// The `.env.example` value of `BETTER_AUTH_SECRET`, refused so a deployment copied from the example is not
    /// signed with a key everyone who read the repository knows.
    public static let placeholderSecret = "replace-with-32-or-more-random-characters"

    /// Why `secret` must not sign anything, or nil when it may.
    public static func weakness(ofSecret secret: String) -> String? {
        if secret.utf8.count < 32 { return "each secret must be at least 32 characters" }
        if secret == placeholderSecret || secret.lowercased().contains("replace-with") || secret.lowercased().contains("change-me") {
            return "is the example placeholder; set a random secret"
        }
        if Set(secret).count < 12 { return "is too easy to guess (fewer than 12 different characters)" }
        return nil
    }

    /// The port to listen on: `PORT`, or the role's default.
    public var effectivePort: Int { port ?? role.defaultPort }

    /// How long a graceful shutdown may take in all: requests in flight (`SHUTDOWN_TIMEOUT`), chat turns running to
    /// their own deadline (`AGENT_TIMEOUT`) and the storing of their answers (`DATABASE_TIMEOUT`), plus a margin.
    /// A container's stop grace period must be longer (80 s with the defaults).
    public var shutdownBound: Duration {
        max(shutdownTimeout, agentTimeout + databaseTimeout) + databaseTimeout + .seconds(5)
    }

    /// Reads and validates every key; the first invalid one is thrown as a `ConfigError`.
    public static func load(from sources: ConfigSources) throws(ConfigError) -> Settings {
        var settings = Settings()
        let reader = SettingReader(sources: sources)
        if let host = reader.raw(.host) { settings.host = host }
        settings.port = try reader.integer(.port, in: 1...65535)
        settings.role = try reader.choice(.role) ?? settings.role
        settings.database = try DatabaseLocation.parse(try reader.secret(.databaseURL))
        settings.databasePoolSize = try reader.integer(.databasePoolSize, in: 1...200) ?? settings.databasePoolSize
        settings.taskPageCacheMB = try reader.integer(.taskPageCacheMB, in: 0...1024) ?? settings.taskPageCacheMB
        settings.databaseTimeout = try reader.duration(.databaseTimeout) ?? settings.databaseTimeout
        settings.migrateOnStart = try reader.bool(.migrateOnStart) ?? settings.migrateOnStart
        settings.tlsCertFile = try reader.readableFile(.tlsCertFile)
        settings.tlsKeyFile = try reader.readableFile(.tlsKeyFile)
        if (settings.tlsCertFile == nil) != (settings.tlsKeyFile == nil) {
            throw reader.fail(settings.tlsCertFile == nil ? .tlsCertFile : .tlsKeyFile, "is required with \(settings.tlsCertFile == nil ? "TLS_KEY_FILE" : "TLS_CERT_FILE") (both or neither)")
        }
        settings.apiCAFile = try reader.readableFile(.apiCAFile)
        settings.betterAuthSecret = try reader.secret(.betterAuthSecret)
        if let secret = settings.betterAuthSecret, let problem = Self.weakness(ofSecret: secret) {
            throw reader.fail(.betterAuthSecret, "\(problem) (generate one with: openssl rand -base64 32)")
        }
        if let list = try reader.secret(.betterAuthSecrets) {
            settings.betterAuthSecretVersions = try VersionedSecret.parse(list) { problem throws(ConfigError) in
                throw reader.fail(.betterAuthSecrets, problem)
            }
            if let problem = settings.betterAuthSecretVersions.lazy.compactMap({ Self.weakness(ofSecret: $0.value) }).first {
                throw reader.fail(.betterAuthSecrets, "\(problem) (generate one with: openssl rand -base64 32)")
            }
        }
        settings.betterAuthURL = try reader.httpURL(.betterAuthURL)
        settings.trustedOrigins = try reader.origins(.trustedOrigins)
        settings.authJWKSURL = try reader.httpURL(.authJWKSURL)
        settings.rateLimitPerMinute = try reader.integer(.rateLimitPerMinute, in: 1...1_000_000) ?? settings.rateLimitPerMinute
        settings.authRateLimitPerMinute = try reader.integer(.authRateLimitPerMinute, in: 1...1_000_000) ?? settings.authRateLimitPerMinute
        settings.authRateLimitPer10s = try reader.integer(.authRateLimitPer10s, in: 1...1_000_000) ?? settings.authRateLimitPer10s
        settings.sessionCacheTTL = try reader.duration(.sessionCacheTTL, zeroAllowed: true, atMost: .seconds(10)) ?? settings.sessionCacheTTL
        settings.openAIAPIKey = try reader.secret(.openAIAPIKey)
        settings.openAIBaseURL = try reader.httpURL(.openAIBaseURL)
        if let model = reader.raw(.openAIModel) { settings.openAIModel = model }
        settings.agentMaxSteps = try reader.integer(.agentMaxSteps, in: 1...50) ?? settings.agentMaxSteps
        settings.agentTimeout = try reader.duration(.agentTimeout) ?? settings.agentTimeout
        settings.llmTimeout = try reader.duration(.llmTimeout) ?? settings.llmTimeout
        settings.llmMaxRetries = try reader.integer(.llmMaxRetries, in: 0...10) ?? settings.llmMaxRetries
        settings.chatHistoryLimit = try reader.integer(.chatHistoryLimit, in: 1...1000) ?? settings.chatHistoryLimit
        settings.agentContextChars = try reader.integer(.agentContextChars, in: 4000...4_000_000) ?? settings.agentContextChars
        settings.agentDailyTokensPerUser = try reader.integer(.agentDailyTokensPerUser, in: 0...1_000_000_000) ?? settings.agentDailyTokensPerUser
        settings.chatHeartbeat = try reader.duration(.chatHeartbeat) ?? settings.chatHeartbeat
        settings.toolTimeout = try reader.duration(.toolTimeout) ?? settings.toolTimeout
        settings.mcpUser = reader.raw(.mcpUser).flatMap { $0.isEmpty ? nil : $0 }
        settings.chatUser = reader.raw(.chatUser).flatMap { $0.isEmpty ? nil : $0 }
        settings.mcpSessionsPerUser = try reader.integer(.mcpSessionsPerUser, in: 1...1000) ?? settings.mcpSessionsPerUser
        settings.mcpSessionIdleTimeout = try reader.duration(.mcpSessionIdleTimeout) ?? settings.mcpSessionIdleTimeout
        settings.apiURL = try reader.httpURL(.apiURL) ?? settings.apiURL
        settings.logLevel = try reader.choice(.logLevel) ?? settings.logLevel
        settings.logFormat = try reader.choice(.logFormat) ?? settings.logFormat
        settings.shutdownTimeout = try reader.duration(.shutdownTimeout) ?? settings.shutdownTimeout
        settings.headerTimeout = try reader.duration(.headerTimeout) ?? settings.headerTimeout
        settings.bodyTimeout = try reader.duration(.bodyTimeout) ?? settings.bodyTimeout
        settings.idleTimeout = try reader.duration(.idleTimeout) ?? settings.idleTimeout
        settings.maxConnections = try reader.integer(.maxConnections, in: 1...1_000_000) ?? settings.maxConnections
        settings.proxyConnections = try reader.integer(.proxyConnections, in: 1...100_000) ?? settings.proxyConnections
        settings.trustedProxies = try reader.networks(.trustedProxies) ?? settings.trustedProxies
        settings.acceptHS256Tokens = try reader.bool(.acceptHS256Tokens) ?? settings.acceptHS256Tokens
        settings.cookieSameSite = try reader.choice(.cookieSameSite) ?? settings.cookieSameSite
        if settings.cookieSameSite == .none, settings.betterAuthURL?.lowercased().hasPrefix("https://") != true {
            throw reader.fail(.cookieSameSite, "none needs an https BETTER_AUTH_URL: browsers drop a SameSite=None cookie that is not Secure")
        }
        settings.authJWKSIssuer = reader.raw(.authJWKSIssuer)
        settings.authJWKSAudience = reader.raw(.authJWKSAudience)
        settings.chatTurnsPerUser = try reader.integer(.chatTurnsPerUser, in: 1...1000) ?? settings.chatTurnsPerUser
        settings.reminderPollInterval = try reader.duration(.reminderPollInterval) ?? settings.reminderPollInterval
        settings.reminderWebhookURL = try reader.httpURL(.reminderWebhookURL)
        settings.reminderWebhookSecret = try reader.secret(.reminderWebhookSecret)
        if let secret = settings.reminderWebhookSecret, let problem = Self.weakness(ofSecret: secret) {
            throw reader.fail(.reminderWebhookSecret, "\(problem) (generate one with: openssl rand -base64 32)")
        }
        if settings.reminderWebhookURL != nil, settings.reminderWebhookSecret == nil {
            throw reader.fail(.reminderWebhookSecret, "is required with REMINDER_WEBHOOK_URL, so receivers can check each call came from us")
        }
        settings.reminderWebhookAttempts = try reader.integer(.reminderWebhookAttempts, in: 1...30) ?? settings.reminderWebhookAttempts
        settings.eventsPollInterval = try reader.duration(.eventsPollInterval) ?? settings.eventsPollInterval
        let smtpCAFile = try reader.readableFile(.smtpCAFile)
        if let url = try reader.secret(.smtpURL) {
            guard let from = reader.raw(.mailFrom), !from.isEmpty else {
                throw reader.fail(.mailFrom, "is required with SMTP_URL: the sender address, e.g. Todo <noreply@example.com>")
            }
            settings.smtp = try SMTPConfiguration(url: url, from: from, caFile: smtpCAFile)
        }
        settings.requireEmailVerification = try reader.bool(.requireEmailVerification) ?? settings.requireEmailVerification
        return settings
    }
}

/// Settings print without their secrets, wherever they are printed or dumped (a service's description in a debug
/// log, a test failure): secret values show as `<redacted>`.
extension Settings: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "Settings(role: \(role.rawValue), host: \(host), port: \(effectivePort), database: \(database.redacted), "
            + "betterAuthSecret: \(betterAuthSecret == nil ? "nil" : "<redacted>"), "
            + "betterAuthSecrets: \(betterAuthSecretVersions.map { "\($0.version):<redacted>" }), "
            + "openAIAPIKey: \(openAIAPIKey == nil ? "nil" : "<redacted>"), "
            + "reminderWebhookSecret: \(reminderWebhookSecret == nil ? "nil" : "<redacted>"), smtp: \(smtp.map(String.init(describing:)) ?? "nil"), "
            + "tls: \(servesTLS))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["description": description], displayStyle: .struct)
    }
}

/// One entry of `BETTER_AUTH_SECRETS`.
public struct VersionedSecret: Sendable, Equatable {
    public let version: Int
    public let value: String

    /// `2:new,1:old` as Better Auth parses it: non-negative versions, each once, no empty value.
    static func parse(_ text: String, fail: (String) throws(ConfigError) -> Never) throws(ConfigError) -> [VersionedSecret] {
        var secrets: [VersionedSecret] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let colon = entry.firstIndex(of: ":") else {
                try fail("an entry is not <version>:<secret> (e.g. 2:newsecret,1:oldsecret)")
            }
            guard let version = Int(entry[..<colon]), version >= 0 else { try fail("a version is not a non-negative whole number") }
            let value = entry[entry.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { try fail("version \(version) has an empty secret") }
            guard !secrets.contains(where: { $0.version == version }) else { try fail("version \(version) appears twice") }
            secrets.append(VersionedSecret(version: version, value: value))
        }
        return secrets
    }
}
