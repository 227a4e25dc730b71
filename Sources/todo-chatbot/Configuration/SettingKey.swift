import TodoCore
import Foundation

/// Every configuration key the product reads, with its flag spelling and whether its value is secret.
public enum SettingKey: String, CaseIterable, Sendable {
    case host = "HOST"
    case port = "PORT"
    case role = "ROLE"
    case databaseURL = "DATABASE_URL"
    case databasePoolSize = "DATABASE_POOL_SIZE"
    case databaseTimeout = "DATABASE_TIMEOUT"
    case migrateOnStart = "MIGRATE_ON_START"
    case taskPageCacheMB = "TASK_PAGE_CACHE_MB"
    case tlsCertFile = "TLS_CERT_FILE"
    case tlsKeyFile = "TLS_KEY_FILE"
    case apiCAFile = "API_CA_FILE"
    case betterAuthSecret = "BETTER_AUTH_SECRET"
    case betterAuthSecrets = "BETTER_AUTH_SECRETS"
    case betterAuthURL = "BETTER_AUTH_URL"
    case trustedOrigins = "TRUSTED_ORIGINS"
    case rateLimitPerMinute = "RATE_LIMIT_PER_MINUTE"
    case authRateLimitPerMinute = "AUTH_RATE_LIMIT_PER_MINUTE"
    case authRateLimitPer10s = "AUTH_RATE_LIMIT_PER_10S"
    case sessionCacheTTL = "SESSION_CACHE_TTL"
    case authJWKSURL = "AUTH_JWKS_URL"
    case openAIAPIKey = "OPENAI_API_KEY"
    case openAIBaseURL = "OPENAI_BASE_URL"
    case openAIModel = "OPENAI_MODEL"
    case agentMaxSteps = "AGENT_MAX_STEPS"
    case agentTimeout = "AGENT_TIMEOUT"
    case llmTimeout = "LLM_TIMEOUT"
    case llmMaxRetries = "LLM_MAX_RETRIES"
    case chatHistoryLimit = "CHAT_HISTORY_LIMIT"
    case agentContextChars = "AGENT_CONTEXT_CHARS"
    case agentDailyTokensPerUser = "AGENT_DAILY_TOKENS_PER_USER"
    case chatHeartbeat = "CHAT_HEARTBEAT"
    case toolTimeout = "TOOL_TIMEOUT"
    case mcpUser = "MCP_USER"
    case chatUser = "CHAT_USER"
    case mcpSessionsPerUser = "MCP_SESSIONS_PER_USER"
    case mcpSessionIdleTimeout = "MCP_SESSION_IDLE_TIMEOUT"
    case apiURL = "API_URL"
    case logLevel = "LOG_LEVEL"
    case logFormat = "LOG_FORMAT"
    case shutdownTimeout = "SHUTDOWN_TIMEOUT"
    case headerTimeout = "HEADER_TIMEOUT"
    case bodyTimeout = "BODY_TIMEOUT"
    case idleTimeout = "IDLE_TIMEOUT"
    case maxConnections = "MAX_CONNECTIONS"
    case proxyConnections = "PROXY_CONNECTIONS"
    case trustedProxies = "TRUSTED_PROXIES"
    case acceptHS256Tokens = "ACCEPT_HS256_TOKENS"
    case cookieSameSite = "COOKIE_SAME_SITE"
    case authJWKSIssuer = "AUTH_JWKS_ISSUER"
    case authJWKSAudience = "AUTH_JWKS_AUDIENCE"
    case chatTurnsPerUser = "CHAT_TURNS_PER_USER"
    case reminderPollInterval = "REMINDER_POLL_INTERVAL"
    case reminderWebhookURL = "REMINDER_WEBHOOK_URL"
    case reminderWebhookSecret = "REMINDER_WEBHOOK_SECRET"
    case reminderWebhookAttempts = "REMINDER_WEBHOOK_ATTEMPTS"
    case eventsPollInterval = "EVENTS_POLL_INTERVAL"
    case smtpURL = "SMTP_URL"
    case smtpCAFile = "SMTP_CA_FILE"
    case mailFrom = "MAIL_FROM"
    case requireEmailVerification = "REQUIRE_EMAIL_VERIFICATION"

    /// Secret values are never printed, not even in error messages.
    public var isSecret: Bool {
        switch self {
        case .databaseURL, .betterAuthSecret, .betterAuthSecrets, .openAIAPIKey, .reminderWebhookSecret, .smtpURL: true
        default: false
        }
    }

    /// The command-line spelling, e.g. `--database-url`.
    public var flag: String { "--" + rawValue.lowercased().replacingOccurrences(of: "_", with: "-") }
}
