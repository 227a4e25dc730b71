import Foundation

/// How due reminders are found and delivered.
public struct ReminderConfiguration: Sendable, CustomStringConvertible {
    /// How often a replica looks for due reminders (`REMINDER_POLL_INTERVAL`).
    public var pollInterval = Duration.seconds(5)
    /// Where reminders are also POSTed (`REMINDER_WEBHOOK_URL`); nil sends none.
    public var webhookURL: String?
    /// The HMAC-SHA256 key of the `X-Todo-Signature` header (`REMINDER_WEBHOOK_SECRET`).
    public var webhookSecret: String?
    /// Attempts per webhook delivery before it is dead-lettered (`REMINDER_WEBHOOK_ATTEMPTS`).
    public var webhookAttempts = 8
    /// The wait before the first retry; each later one doubles it, up to ten minutes.
    public var webhookBackoff = Duration.seconds(5)
    /// How long one webhook attempt may take.
    public var webhookTimeout = Duration.seconds(10)
    /// A reminder delivered more than this after it fell due is marked late.
    public var lateAfter: TimeInterval = 60

    public init() {}

    /// Printed without the webhook's URL (it may carry a token) or its secret.
    public var description: String {
        "ReminderConfiguration(pollInterval: \(pollInterval), webhook: \(webhookURL == nil ? "none" : "<redacted>"), attempts: \(webhookAttempts))"
    }

    /// The wait before attempt `attempt + 1`.
    func backoff(after attempt: Int) -> Duration {
        let doubled = webhookBackoff * (1 << min(max(attempt - 1, 0), 20))
        return min(doubled, .seconds(600))
    }
}
