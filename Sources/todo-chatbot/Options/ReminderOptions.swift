import ArgumentParser
import TodoCore

/// Due-date reminders, the reminder webhook and the live-update poll.
struct ReminderOptions: SettingOptions {
    @Option(name: .long, help: "How often to look for due reminders, e.g. 5s. [env: REMINDER_POLL_INTERVAL] (default: 5s)")
    var reminderPollInterval: String?

    @Option(name: .long, help: "Also POST each due reminder here (JSON, signed). [env: REMINDER_WEBHOOK_URL] (default: none)")
    var reminderWebhookURL: String?

    @Option(
        name: .long,
        help: "HMAC-SHA256 key of the webhook's X-Todo-Signature; 32+ characters; or REMINDER_WEBHOOK_SECRET_FILE. [env: REMINDER_WEBHOOK_SECRET]"
    )
    var reminderWebhookSecret: String?

    @Option(name: .long, help: "Webhook attempts before a reminder is dead-lettered. [env: REMINDER_WEBHOOK_ATTEMPTS] (default: 8)")
    var reminderWebhookAttempts: String?

    @Option(name: .long, help: "How often open /api/events streams poll the change log. [env: EVENTS_POLL_INTERVAL] (default: 1s)")
    var eventsPollInterval: String?

    var settingValues: [(SettingKey, String?)] {
        [
            (.reminderPollInterval, reminderPollInterval), (.reminderWebhookURL, reminderWebhookURL),
            (.reminderWebhookSecret, reminderWebhookSecret), (.reminderWebhookAttempts, reminderWebhookAttempts),
            (.eventsPollInterval, eventsPollInterval),
        ]
    }
}
