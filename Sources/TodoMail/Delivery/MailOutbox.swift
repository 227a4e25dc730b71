import Logging
import ServiceLifecycle
import TodoCore

/// Sends account mail off the request path: `submit` queues and returns at once; the service's run loop hands each
/// message to the transport, retrying a failure that may pass (a refused connection, a 4xx) with growing pauses.
/// The queue holds at most `capacity` messages; beyond that the newest are dropped and logged (the per-route rate
/// limits keep a working system far below it). Logs name the recipient's domain, never the link.
public final class MailOutbox: Mailer, Service {
    public typealias Transport = @Sendable (MailMessage) async throws -> Void

    let transport: Transport
    let retryPauses: [Duration]
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void
    private let stream: AsyncStream<MailMessage>
    private let continuation: AsyncStream<MailMessage>.Continuation

    public init(
        transport: @escaping Transport, capacity: Int = 1000, retryPauses: [Duration] = [.seconds(5), .seconds(30), .seconds(120)],
        logger: Logger, sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.transport = transport
        self.retryPauses = retryPauses
        self.logger = logger
        self.sleep = sleep
        (stream, continuation) = AsyncStream.makeStream(of: MailMessage.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    public func submit(_ message: MailMessage) {
        if case .dropped = continuation.yield(message) {
            logger.error("mail queue full; message dropped", metadata: ["to_domain": "\(Self.domain(of: message.to))"])
        }
    }

    public func run() async throws {
        // Mail already queued at shutdown is still sent; a stop while a server is slow ends the wait (the message
        // is lost then, as the log says).
        await withGracefulShutdownHandler {
            for await message in stream { await deliver(message) }
        } onGracefulShutdown: { [continuation] in
            continuation.finish()
        }
    }

    func deliver(_ message: MailMessage) async {
        let domain = Self.domain(of: message.to)
        for attempt in 0...retryPauses.count {
            do {
                try await transport(message)
                logger.info("mail sent", metadata: ["to_domain": "\(domain)", "attempt": "\(attempt + 1)"])
                return
            } catch {
                let permanent = (error as? SMTPError)?.isPermanent ?? false
                // Once shutting down, each message left gets one attempt: a dead mail server must not hold the stop.
                let last = permanent || attempt == retryPauses.count || Task.isCancelled || Task.isShuttingDownGracefully
                logger.log(
                    level: last ? .error : .warning, last ? "mail not sent" : "mail not sent yet; will retry",
                    metadata: ["to_domain": "\(domain)", "attempt": "\(attempt + 1)", "error": "\(error)"]
                )
                if last { return }
                let pause = retryPauses[attempt]
                guard (try? await cancelWhenGracefulShutdown({ try await self.sleep(pause) })) != nil else { return }
            }
        }
    }

    static func domain(of address: String) -> Substring {
        address.split(separator: "@").last ?? "?"
    }
}

/// Without a mail server (local use) the link goes to the log at warning level, so whoever runs the server can
/// follow it; production sets `SMTP_URL`, and startup warns when it is missing.
public struct LogMailer: Mailer {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func submit(_ message: MailMessage) {
        logger.warning(
            "no mail server (SMTP_URL): account email written here instead",
            metadata: ["to": "\(message.to)", "subject": "\(message.subject)", "link": "\(message.link)"]
        )
    }
}
