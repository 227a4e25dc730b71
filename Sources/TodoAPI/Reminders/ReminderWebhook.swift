import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TodoCore

/// Sends queued reminder deliveries to the webhook, signed, retrying with backoff and dead-lettering after the
/// last attempt. Each delivery is leased to one replica at a time; a replica that dies mid-call leaves it to
/// another after the lease, so a receiver can see a repeat and should drop it by `X-Todo-Delivery`.
struct ReminderWebhook: Sendable {
    let url: String
    let secret: String
    let store: any ReminderStore
    let client: HTTPClient
    let configuration: ReminderConfiguration
    let logger: Logger
    let now: @Sendable () -> Date

    /// Sends every delivery due now; returns how many were tried.
    @discardableResult
    func sendDue() async throws -> Int {
        let stamp = now()
        let lease = stamp.addingTimeInterval(configuration.webhookTimeout.timeInterval + 30)
        let due = try await store.claimWebhookDeliveries(now: stamp, leaseUntil: lease, limit: 20)
        await withTaskGroup(of: Void.self) { group in
            for delivery in due { group.addTask { await send(delivery) } }
        }
        return due.count
    }

    private func send(_ delivery: WebhookDelivery) async {
        let failure: String
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "todo-chatbot/\(TodoVersion.current)")
            request.headers.add(name: "X-Todo-Event", value: "reminder")
            request.headers.add(name: "X-Todo-Delivery", value: String(delivery.id))
            request.headers.add(name: WebhookSignature.header, value: WebhookSignature.sign(body: delivery.body, secret: secret, at: now()))
            request.body = .bytes(ByteBuffer(string: delivery.body))
            let response = try await client.execute(request, timeout: .init(configuration.webhookTimeout))
            // The answer is not needed; reading a little of it lets the connection be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            if (200..<300).contains(response.status.code) {
                try await store.webhookDelivered(id: delivery.id)
                return
            }
            failure = "HTTP \(response.status.code)"
        } catch {
            failure = Self.describe(error)
        }
        do {
            if delivery.attempts >= configuration.webhookAttempts {
                try await store.webhookFailed(id: delivery.id, error: failure, retryAt: nil)
                logger.error(
                    "reminder webhook gave up",
                    metadata: [
                        "delivery_id": "\(delivery.id)", "task_id": "\(delivery.taskID)", "attempts": "\(delivery.attempts)",
                        "last_error": "\(failure)", "webhook": "\(Self.redacted(url))",
                    ]
                )
            } else {
                let wait = configuration.backoff(after: delivery.attempts)
                try await store.webhookFailed(id: delivery.id, error: failure, retryAt: now().addingTimeInterval(wait.timeInterval))
                logger.warning(
                    "reminder webhook failed; will retry",
                    metadata: ["delivery_id": "\(delivery.id)", "attempt": "\(delivery.attempts)", "error": "\(failure)", "retry_in": "\(wait)"]
                )
            }
        } catch {
            // The lease runs out and another pass tries again.
            logger.warning("reminder webhook outcome not stored", metadata: ["delivery_id": "\(delivery.id)", "error": "\(error)"])
        }
    }

    /// The webhook's address for logs: no credentials, no query (either may hold a token).
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url) else { return "(invalid URL)" }
        (parts.user, parts.password, parts.query, parts.fragment) = (nil, nil, nil, nil)
        return parts.string ?? "(invalid URL)"
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        return String(describing: type(of: error))
    }
}
