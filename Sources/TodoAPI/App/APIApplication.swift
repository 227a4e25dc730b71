import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import TodoAgent
import TodoAuth
import TodoCore
import TodoHTTP
import TodoMail
import TodoMCP
import TodoStorage

/// Everything serve-api is built from; tests build the same app with their own database.
public struct APIDependencies: Sendable {
    public var configuration: APIConfiguration
    public var database: any SQLDatabase
    public var store: SQLStore
    public var auth: AuthService
    public var tokens: TokenService
    /// Cookie and HS256 signing secrets, newest first: the newest signs, every one verifies. SIGHUP replaces them
    /// when `BETTER_AUTH_SECRET` (or its file) changed.
    public var authSecrets: Reloadable<[String]>
    public var metrics: APIMetrics
    public var logger: Logger
    /// The open MCP sessions of `/mcp`; it runs as a service that expires idle ones.
    public var mcpSessions: MCPSessionRegistry
    /// Chat turns with the agent the configuration chooses.
    public var chat: ChatService
    /// The model client, when the agent has one; it runs as a service so its connections close at shutdown.
    public var modelClient: OpenAIChatClient?
    /// Fans the change log out to `/api/events` streams; it runs as a service.
    public var events: EventHub
    /// The clock of the rate limits; tests freeze it so a slow machine cannot refill a bucket mid-test.
    public var now: @Sendable () -> Date
    /// The per-user request limit of this replica, reconciled with the shared table in batches.
    public var requestLimiter: ReplicaRateLimiter
    /// Sends account emails through `SMTP_URL` off the request path; it runs as a service. Nil without a server.
    public var mailOutbox: MailOutbox?

    /// `mailer` replaces the configured delivery (tests read the messages it gets).
    public init(
        configuration: APIConfiguration, database: any SQLDatabase, authSecrets: [String], hasher: PasswordHasher = PasswordHasher(),
        metrics: APIMetrics = APIMetrics(), now: @escaping @Sendable () -> Date = Date.init, mailer: (any Mailer)? = nil, logger: Logger
    ) {
        self.configuration = configuration
        self.now = now
        self.database = database
        self.store = SQLStore(database: database)
        self.requestLimiter = ReplicaRateLimiter(store: store, now: now)
        if mailer == nil, let smtp = configuration.smtp {
            let client = SMTPClient(configuration: smtp)
            mailOutbox = MailOutbox(transport: { try await client.send($0) }, logger: logger)
        }
        let emails = AccountEmails(
            mailer: mailer ?? mailOutbox ?? LogMailer(logger: logger), publicURL: configuration.linkBase,
            requireVerification: configuration.requireEmailVerification, verifyOnSignUp: configuration.smtp != nil
        )
        self.auth = AuthService(
            store: store, hasher: hasher, sessionCache: VerifiedSessionCache(timeToLive: configuration.sessionCacheTTL), emails: emails,
            now: now
        )
        self.authSecrets = Reloadable(authSecrets)
        self.tokens = TokenService(
            store: store, secrets: self.authSecrets, issuer: configuration.auth.issuer, external: configuration.auth.externalKeys(),
            hs256: configuration.auth.hs256
        )
        self.metrics = metrics
        self.logger = logger
        let catalog = ToolCatalog(store: store, timeout: configuration.agent.toolTimeout)
        self.mcpSessions = MCPSessionRegistry(
            tools: TodoToolServer(catalog: catalog), store: store, sessionsPerUser: configuration.mcpSessionsPerUser,
            idleTimeout: configuration.mcpSessionIdleTimeout, logger: logger
        )
        let (agent, client) = AgentFactory.make(configuration.agent, catalog: catalog, logger: logger)
        self.modelClient = client
        var chat = ChatService(agent: agent, store: store, configuration: configuration.agent, logger: logger)
        let model = agent.label
        chat.usageObserver = { usage in metrics.tokensUsed(model: model, usage) }
        self.chat = chat
        self.events = EventHub(store: store, interval: configuration.eventsPollInterval, logger: logger)
    }

    /// Cookies are `Secure` with the `__Secure-` prefix when the public URL is https.
    var sessionCookie: SessionCookie {
        SessionCookie(
            secure: configuration.auth.publicURL?.lowercased().hasPrefix("https://") ?? false, secrets: authSecrets,
            sameSite: configuration.cookieSameSite
        )
    }
}

/// Builds serve-api's router: middleware in order (request id, access log, metrics, errors), then routes.
/// `extend` adds middleware and routes of its own before the API's (`serve` adds the web UI there).
public func buildAPIRouter(
    _ dependencies: APIDependencies, extend: (Router<APIRequestContext>) -> Void = { _ in }
) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: MetricsMiddleware(metrics: dependencies.metrics))
    let configuration = dependencies.configuration
    let origins = OriginPolicy(publicURL: configuration.auth.publicURL, trusted: configuration.trustedOrigins)
    // Outside the error middleware, so error answers carry the CORS headers too (a script can read the reason).
    router.add(middleware: CORSMiddleware(origins: origins))
    router.add(middleware: ErrorMiddleware())
    if configuration.servesTLS { router.add(middleware: StrictTransportSecurityMiddleware()) }
    extend(router)
    OperationsController(
        database: dependencies.database, metrics: dependencies.metrics, role: configuration.role,
        agent: dependencies.chat.agent.label
    )
        .register(on: router)
    let cookie = dependencies.sessionCookie
    let resolver = SessionResolver(auth: dependencies.auth, tokens: dependencies.tokens, users: dependencies.store, cookie: cookie)
    let limiter = RateLimiter(store: dependencies.store, now: dependencies.now)
    let authController = AuthController(
        auth: dependencies.auth, tokens: dependencies.tokens, resolver: resolver, cookie: cookie, limiter: limiter,
        attemptsPerMinute: configuration.authRateLimitPerMinute, attemptsPer10s: configuration.authRateLimitPer10s, origins: origins,
        clientAddresses: ClientAddressResolver(trusted: configuration.trustedProxies)
    )
    authController.register(on: router)
    let accountController = AccountController(
        auth: dependencies.auth, resolver: resolver, cookie: cookie, origins: origins, signIn: authController,
        limiter: dependencies.requestLimiter, requestsPerMinute: configuration.rateLimitPerMinute
    )
    accountController.register(on: router)
    EmailLinkController(
        auth: dependencies.auth, signIn: authController, account: accountController, mailsPerMinute: configuration.mailRateLimitPerMinute
    )
        .register(on: router)
    let authentication = AuthenticationMiddleware(
        resolver: resolver, origins: origins, limiter: dependencies.requestLimiter, requestsPerMinute: configuration.rateLimitPerMinute
    )
    TasksController(
        store: dependencies.store, pages: configuration.taskPageCacheBytes > 0 ? TaskPageCache(bytes: configuration.taskPageCacheBytes) : nil,
        metrics: dependencies.metrics
    )
        .register(on: router, authentication: authentication)
    ChatController(
        chat: dependencies.chat, metrics: dependencies.metrics,
        turns: ChatTurnLimit(perUser: configuration.chatTurnsPerUser), heartbeat: configuration.chatHeartbeat
    )
        .register(on: router, authentication: authentication)
    ConversationsController(store: dependencies.store).register(on: router, authentication: authentication)
    EventsController(
        hub: dependencies.events, store: dependencies.store, resolver: resolver, heartbeat: configuration.chatHeartbeat,
        recheck: configuration.eventsSessionRecheck
    )
        .register(on: router, authentication: authentication)
    var bearerOnly = authentication
    bearerOnly.acceptsCookies = false
    MCPController(endpoint: MCPHTTPEndpoint(registry: dependencies.mcpSessions), origins: MCPOriginMiddleware(policy: origins))
        .register(on: router, authentication: bearerOnly)
    return router
}

/// Builds the serve-api application; the database runs as one of its services and shuts down after the server.
/// The embedded SQLite store migrates itself before the server listens; PostgreSQL only with `MIGRATE_ON_START`.
/// `maxConnections` caps open connections (`MAX_CONNECTIONS`); nil, as in tests, leaves them uncapped.
public func buildAPIApplication(
    _ dependencies: APIDependencies, server: HTTPServerBuilder = .http1(), maxConnections: Int? = nil,
    extend: (Router<APIRequestContext>) -> Void = { _ in }
) -> some ApplicationProtocol {
    var app = Application(
        responder: HeadResponder(buildAPIRouter(dependencies, extend: extend).buildResponder()), server: server,
        configuration: .init(
            address: .hostname(dependencies.configuration.host, port: dependencies.configuration.port), serverName: nil,
            availableConnectionsDelegate: maxConnections.map { MaximumAvailableConnections($0, logger: dependencies.logger) }
        ),
        logger: dependencies.logger
    )
    app.addServices(
        dependencies.database, dependencies.mcpSessions, dependencies.events,
        ReminderScheduler(store: dependencies.store, configuration: dependencies.configuration.reminders, logger: dependencies.logger)
    )
    if let client = dependencies.modelClient { app.addServices(client) }
    if let outbox = dependencies.mailOutbox { app.addServices(outbox) }
    // Before the drain, so it stops after it: a stop asked for during the drain still reaches its turn.
    app.addServices(TurnWatcher(turns: dependencies.chat.turns, store: dependencies.store, logger: dependencies.logger))
    // Last added, so it stops first after the server: turns still store their answers while the database runs.
    app.addServices(TurnDrain(
        turns: dependencies.chat.turns, bound: dependencies.configuration.agent.turnTimeout,
        grace: dependencies.configuration.databaseTimeout, logger: dependencies.logger
    ))
    if dependencies.configuration.migrateOnStart {
        let (database, logger) = (dependencies.database, dependencies.logger)
        app.beforeServerStarts {
            for migration in try await Migrator(database: database).migrate() {
                logger.info("migration applied", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            }
        }
    }
    return app
}
