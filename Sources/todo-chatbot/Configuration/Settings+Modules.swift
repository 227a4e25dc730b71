import TodoCore
import TodoAPI
import TodoAgent
import TodoAuth
import TodoWeb

/// Each module gets the part of the settings it uses, and no more: the API never sees TLS paths, the web role
/// never sees the model key.
extension Settings {
    var apiConfiguration: APIConfiguration {
        var api = APIConfiguration()
        api.host = host
        api.port = effectivePort
        api.role = role.rawValue
        api.servesTLS = servesTLS
        // The embedded store always migrates itself; PostgreSQL only when asked to.
        api.migrateOnStart = database.isEmbedded || migrateOnStart
        api.databaseTimeout = databaseTimeout
        api.auth = authConfiguration
        api.trustedOrigins = trustedOrigins
        api.cookieSameSite = cookieSameSite
        api.trustedProxies = trustedProxies
        api.rateLimitPerMinute = rateLimitPerMinute
        api.authRateLimitPerMinute = authRateLimitPerMinute
        api.authRateLimitPer10s = authRateLimitPer10s
        api.sessionCacheTTL = sessionCacheTTL
        api.taskPageCacheBytes = taskPageCacheMB << 20
        api.agent = agentConfiguration
        api.chatTurnsPerUser = chatTurnsPerUser
        api.chatHeartbeat = chatHeartbeat
        api.mcpSessionsPerUser = mcpSessionsPerUser
        api.mcpSessionIdleTimeout = mcpSessionIdleTimeout
        api.eventsPollInterval = eventsPollInterval
        api.reminders.pollInterval = reminderPollInterval
        api.reminders.webhookURL = reminderWebhookURL
        api.reminders.webhookSecret = reminderWebhookSecret
        api.reminders.webhookAttempts = reminderWebhookAttempts
        api.smtp = smtp
        api.requireEmailVerification = requireEmailVerification
        return api
    }

    var webConfiguration: WebConfiguration {
        var web = WebConfiguration()
        web.host = host
        web.port = effectivePort
        web.servesTLS = servesTLS
        web.apiURL = apiURL
        web.apiCAFile = apiCAFile
        web.proxyConnections = proxyConnections
        web.agentTimeout = agentTimeout
        return web
    }

    /// The model server when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set; otherwise the offline agent.
    var agentConfiguration: AgentConfiguration {
        var agent = AgentConfiguration()
        if openAIAPIKey != nil || openAIBaseURL != nil {
            agent.model = OpenAIConfiguration(
                baseURL: openAIBaseURL, apiKey: openAIAPIKey, model: openAIModel, timeout: llmTimeout, maxRetries: llmMaxRetries
            )
        }
        agent.maxSteps = agentMaxSteps
        agent.turnTimeout = agentTimeout
        agent.historyLimit = chatHistoryLimit
        agent.contextCharacters = agentContextChars
        agent.dailyTokensPerUser = agentDailyTokensPerUser
        agent.toolTimeout = toolTimeout
        return agent
    }

    var authConfiguration: AuthConfiguration {
        var auth = AuthConfiguration()
        auth.publicURL = betterAuthURL
        auth.jwksURL = authJWKSURL
        auth.jwksIssuer = authJWKSIssuer
        auth.jwksAudience = authJWKSAudience
        auth.acceptsHS256Tokens = acceptHS256Tokens
        return auth
    }
}
