import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import TodoCore

/// Finds due reminders on every replica and delivers each exactly once: the claim marks it in the same
/// transaction that logs its `reminder` event (which `/api/events` streams to the user's pages) and queues its
/// webhook call. A reminder that fell due while every replica was down is delivered at the next pass, marked late.
public struct ReminderScheduler: Service, CustomStringConvertible {
    let store: any ReminderStore & TaskStore & VerificationStore
    let configuration: ReminderConfiguration
    let logger: Logger
    let now: @Sendable () -> Date

    public init(store: any ReminderStore & TaskStore & VerificationStore, configuration: ReminderConfiguration, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    /// How service lifecycle logs name it: never with the webhook's URL or secret.
    public var description: String { "ReminderScheduler" }

    public func run() async throws {
        // An HTTP client only when there is a webhook to call.
        let client = configuration.webhookURL == nil || configuration.webhookSecret == nil ? nil : HTTPClient(
            eventLoopGroupProvider: .singleton,
            // A webhook that redirects elsewhere is a misconfiguration, not somewhere to send users' tasks.
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow)
        )
        let webhook = client.flatMap { client in
            configuration.webhookURL.flatMap { url in
                configuration.webhookSecret.map { secret in
                    ReminderWebhook(url: url, secret: secret, store: store, client: client, configuration: configuration, logger: logger, now: now)
                }
            }
        }
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: configuration.pollInterval)) != nil {
                await pass(webhook: webhook)
            }
        }
        try? await client?.shutdown()
    }

    /// Claims what is due (in batches until none is left) and sends the queued webhook calls.
    func pass(webhook: ReminderWebhook?) async {
        do {
            while true {
                let claimed = try await store.claimDueReminders(
                    now: now(), lateAfter: configuration.lateAfter, limit: 100, webhook: webhook != nil
                )
                for reminder in claimed {
                    logger.info(
                        "reminder due",
                        metadata: ["task_id": "\(reminder.task.id)", "user_id": "\(reminder.task.userID)", "late": "\(reminder.late)"]
                    )
                }
                if claimed.count < 100 { break }
            }
            if let webhook { try await webhook.sendDue() }
            try await prune()
        } catch {
            logger.warning("reminder pass failed", metadata: ["error": "\(error)"])
        }
    }

    private func prune() async throws {
        // Rarely, and on whichever replica: finished deliveries are kept a day for inspection, deleted tasks as long
        // as they can be restored, expired email links a day.
        guard Int(now().timeIntervalSince1970) % 3600 < Int(configuration.pollInterval.timeInterval.rounded(.up)) else { return }
        try await store.pruneWebhookDeliveries(before: now().addingTimeInterval(-86_400))
        let purged = try await store.purgeDeletedTasks(before: now().addingTimeInterval(-TaskRules.restorableFor))
        if purged > 0 { logger.info("deleted tasks purged", metadata: ["count": "\(purged)"]) }
        // Expired email links are useless; a day's grace keeps a "link expired" answer possible meanwhile.
        _ = try await store.purgeVerifications(expiredBefore: now().addingTimeInterval(-86_400))
    }
}
