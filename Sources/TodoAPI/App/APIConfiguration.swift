import TodoAgent
import TodoAuth
import TodoCore
import TodoMail

/// What serve-api is configured with: its listener, limits, sign-in and agent. The executable builds it from the
/// validated settings; tests build it directly.
public struct APIConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8000
    /// The role /health reports: `api`, or `serve` when the web UI runs in the same process.
    public var role = "api"
    /// Whether the server terminates TLS itself (responses then carry HSTS).
    public var servesTLS = false
    /// Migrate before listening: always for the embedded store, with `MIGRATE_ON_START` for PostgreSQL.
    public var migrateOnStart = true
    public var databaseTimeout = Duration.seconds(5)
    public var auth = AuthConfiguration()
    /// Origins besides the public URL's that may send cookie-authenticated writes, and call the API from a browser
    /// (CORS with credentials).
    public var trustedOrigins: [String] = []
    /// The session cookie's `SameSite`: `none` lets a frontend on another site send it (it needs an https public URL).
    public var cookieSameSite = CookieSameSite.lax
    /// Peers whose `X-Forwarded-For` is believed, read right to left.
    public var trustedProxies = IPNetwork.loopback
    /// Requests a minute per signed-in user, with bursts up to the same number.
    public var rateLimitPerMinute = 120
    /// Sign-in and sign-up attempts a minute per client IP and per email.
    public var authRateLimitPerMinute = 5
    /// Better Auth's rule for sign-in, sign-up, change-password and change-email: this many per 10 s per client IP
    /// and route (`AUTH_RATE_LIMIT_PER_10S`), besides the per-minute limit. Nil turns it off (tests whose clock
    /// stands still while other tests' requests move the shared bucket on).
    public var authRateLimitPer10s: Int? = 3
    /// Account emails (reset, verification, change) a minute per client IP and per address: Better Auth's 3.
    public var mailRateLimitPerMinute = 3
    /// How long a replica trusts a session it verified: the bound on a sign-out or revocation elsewhere reaching it.
    public var sessionCacheTTL = Duration.seconds(2)
    /// Bytes of encoded task pages kept per replica and served again while the user's tasks are unchanged; 0 = off.
    public var taskPageCacheBytes = 16 << 20
    public var agent = AgentConfiguration()
    /// Chat turns one user may run at once on a replica; one more is a 429.
    public var chatTurnsPerUser = 3
    /// How often an idle chat stream gets an SSE comment, so proxies keep it open.
    public var chatHeartbeat = Duration.seconds(15)
    /// How often a replica with open `/api/events` streams polls the change log.
    public var eventsPollInterval = Duration.seconds(1)
    /// How often an open `/api/events` stream checks its session is still valid (sign-out or revocation ends it).
    public var eventsSessionRecheck = Duration.seconds(30)
    /// Due-date reminders: how often to look, and the optional webhook.
    public var reminders = ReminderConfiguration()
    /// Open MCP sessions a user may have; opening one more closes that user's least recently used one.
    public var mcpSessionsPerUser = 10
    /// An MCP session unused this long is closed.
    public var mcpSessionIdleTimeout = Duration.seconds(30 * 60)
    /// The mail server of account emails; without one, their links are written to the log (local use).
    public var smtp: SMTPConfiguration?
    /// Sign-in waits until the account's email is verified (`REQUIRE_EMAIL_VERIFICATION`).
    public var requireEmailVerification = false

    public init() {}

    /// Where links in emails point: the public URL, or this server on localhost when none is set (local use).
    var linkBase: String { auth.publicURL ?? "http://localhost:\(port)" }
}

/// The `SameSite` attribute of the session cookie.
public enum CookieSameSite: String, CaseIterable, Sendable {
    case lax, strict, none

    /// As the attribute is written: `Lax`, `Strict`, `None`.
    var attribute: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}
