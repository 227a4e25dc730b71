import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing
@testable import TodoAPI
import TodoCore
import TodoStorage
import TodoTestSupport

/// Due reminders reach the change log and the webhook exactly once, however many replicas race for them.
@Suite struct ReminderDeliveryTests {
    static let secret = "webhook-secret-0123456789-abcdefghijkl"

    /// A real webhook receiver on loopback: checks every call's signature, answers 500 to the first
    /// `failFirst` attempts of each delivery, and records what it accepted.
    actor Receiver {
        var attempts: [String: Int] = [:]
        var accepted: [String] = []
        var badSignatures = 0
        let failFirst: Int

        init(failFirst: Int) { self.failFirst = failFirst }

        func take(delivery: String, signature: String?, body: String) -> HTTPResponse.Status {
            guard let signature, ReminderDeliveryTests.verify(signature, body: body) else {
                badSignatures += 1
                return .unauthorized
            }
            attempts[delivery, default: 0] += 1
            guard attempts[delivery]! > failFirst else { return .internalServerError }
            let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
            accepted.append(object?["reminder_id"] as? String ?? "?")
            return .noContent
        }

        func serve<T: Sendable>(_ body: @escaping @Sendable (String) async throws -> T) async throws -> T {
            let router = Router()
            router.post("hook") { request, _ -> Response in
                let bytes = try await request.body.collect(upTo: 1 << 20)
                let status = await self.take(
                    delivery: request.headers[HTTPField.Name("X-Todo-Delivery")!] ?? "",
                    signature: request.headers[HTTPField.Name(WebhookSignature.header)!], body: String(buffer: bytes)
                )
                return Response(status: status)
            }
            return try await serveOnLoopback(router, path: "/hook", body)
        }
    }

    /// What a receiver does: recompute the HMAC of "<t>.<body>" and compare.
    static func verify(_ header: String, body: String) -> Bool {
        let parts = Dictionary(header.split(separator: ",").compactMap { part -> (String, String)? in
            let pair = part.split(separator: "=", maxSplits: 1)
            return pair.count == 2 ? (String(pair[0]), String(pair[1])) : nil
        }) { $1 }
        guard let stamp = parts["t"], let mac = parts["v1"] else { return false }
        let expected = HMAC<SHA256>.authenticationCode(for: Data("\(stamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Hex.encode(expected) == mac
    }

    /// Two replicas' stores over one database: separate pools, as two processes have.
    static func withTwoReplicas(_ kind: StoreKind, _ body: @escaping @Sendable (SQLStore, SQLStore) async throws -> Void) async throws {
        let run: @Sendable (DatabaseLocation) async throws -> Void = { location in
            try await DatabaseFactory.withDatabase(location, poolSize: 2, timeout: testDatabaseDeadline, logger: testLogger) { first in
                try await Migrator(database: first).migrate()
                try await DatabaseFactory.withDatabase(location, poolSize: 2, timeout: testDatabaseDeadline, logger: testLogger) { second in
                    try await body(SQLStore(database: first), SQLStore(database: second))
                }
            }
        }
        if kind == .postgres {
            try await withFreshPostgres(run)
        } else {
            try await run(.sqliteFile(path: TestFiles.temporaryPath("reminders.sqlite")))
        }
    }

    static var kinds: [StoreKind] { StoreKind.available.filter { $0 != .sqliteMemory } }

    @Test(arguments: kinds)
    func twoReplicasRacingOverFiftyDueRemindersDeliverEachOnceThroughRetries(kind: StoreKind) async throws {
        let receiver = Receiver(failFirst: 1)
        try await receiver.serve { url in
            try await Self.withTwoReplicas(kind) { first, second in
                let user = try await makeUser(first)
                let due = Date().addingTimeInterval(-1)
                for index in 0..<50 {
                    _ = try await (index % 2 == 0 ? first : second).createTask(
                        try NewTask(title: "Reminder \(index)", reminder: .at(due)), userID: user.id
                    )
                }
                var configuration = ReminderConfiguration()
                configuration.webhookURL = url
                configuration.webhookSecret = Self.secret
                configuration.webhookBackoff = .milliseconds(20)
                let client = HTTPClient(eventLoopGroupProvider: .singleton)
                let replicas = [first, second].map { store in
                    (
                        ReminderScheduler(store: store, configuration: configuration, logger: testLogger),
                        ReminderWebhook(url: url, secret: Self.secret, store: store, client: client, configuration: configuration, logger: testLogger, now: Date.init)
                    )
                }
                // Both replicas pass at once, again and again, until every reminder got through (bounded).
                for _ in 0..<200 where await receiver.accepted.count < 50 {
                    await withTaskGroup(of: Void.self) { group in
                        for (scheduler, webhook) in replicas { group.addTask { await scheduler.pass(webhook: webhook) } }
                    }
                    try await Task.sleep(for: .milliseconds(25))
                }
                try await client.shutdown()
                let accepted = await receiver.accepted
                #expect(accepted.count == 50)
                #expect(Set(accepted).count == 50, "no reminder reached the receiver twice")
                #expect(await receiver.badSignatures == 0)
                #expect(await receiver.attempts.values.allSatisfy { $0 == 2 }, "each was refused once, then retried")
                let events = try await first.events(userID: user.id, after: 0, limit: 500).filter { $0.kind == "reminder" }
                #expect(events.count == 50, "one page event each")
                let tasks = try await first.tasks(matching: try TaskQuery(limit: 100), userID: user.id)
                #expect(tasks.allSatisfy { $0.remindedAt != nil })
                // A later pass finds nothing more to send.
                #expect(try await first.claimDueReminders(now: Date(), lateAfter: 60, limit: 100, webhook: true).isEmpty)
            }
        }
    }

    @Test(arguments: kinds)
    func aWebhookThatKeepsFailingIsDeadLetteredWithOneLogLine(kind: StoreKind) async throws {
        let receiver = Receiver(failFirst: 1000)
        let recorder = LogRecorder()
        try await receiver.serve { url in
            try await Self.withTwoReplicas(kind) { store, _ in
                let user = try await makeUser(store)
                // Fell due ten minutes ago, while every replica was down: delivered once, marked late.
                _ = try await store.createTask(try NewTask(title: "Overdue call", reminder: .at(Date().addingTimeInterval(-600))), userID: user.id)
                var configuration = ReminderConfiguration()
                configuration.webhookAttempts = 3
                configuration.webhookBackoff = .milliseconds(10)
                let client = HTTPClient(eventLoopGroupProvider: .singleton)
                let webhook = ReminderWebhook(
                    url: url + "?token=private", secret: Self.secret, store: store, client: client, configuration: configuration,
                    logger: recorder.logger(), now: Date.init
                )
                let scheduler = ReminderScheduler(store: store, configuration: configuration, logger: recorder.logger())
                for _ in 0..<100 where !recorder.all.contains(where: { $0.message == "reminder webhook gave up" }) {
                    await scheduler.pass(webhook: webhook)
                    try await Task.sleep(for: .milliseconds(20))
                }
                try await client.shutdown()
                let gaveUp = recorder.all.filter { $0.message == "reminder webhook gave up" }
                #expect(gaveUp.count == 1)
                #expect(gaveUp.first?.metadata["attempts"] == "3")
                #expect(gaveUp.first?.metadata["webhook"]?.contains("private") == false, "the URL's query is not logged")
                #expect(await receiver.attempts.values.first == 3)
                let event = try #require(try await store.events(userID: user.id, after: 0, limit: 10).first { $0.kind == "reminder" })
                #expect(event.data.contains(#""late":true"#))
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func remindersFollowTheDueDateAndEachOccurrence(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store)
            let due = Date().addingTimeInterval(3600)
            let task = try await store.createTask(
                try NewTask(title: "Standup", dueAt: due, recurrence: .daily, reminder: .before(minutes: 30)), userID: user.id
            )
            // Stored to the millisecond.
            #expect(abs((task.reminderAt ?? .distantPast).timeIntervalSince(due.addingTimeInterval(-1800))) < 0.002)
            // Moving the due date moves the reminder and arms it again.
            let moved = try await store.updateTask(id: task.id, with: try TaskPatch(dueAt: .some(due.addingTimeInterval(600))), userID: user.id)
            #expect(abs((moved.reminderAt ?? .distantPast).timeIntervalSince(due.addingTimeInterval(-1200))) < 0.002)
            let completion = try await store.setTaskCompleted(id: task.id, completed: true, userID: user.id)
            let next = try #require(completion.nextOccurrence)
            #expect(next.reminder == .before(minutes: 30))
            #expect(next.reminderAt == next.dueAt?.addingTimeInterval(-1800))
            #expect(next.remindedAt == nil)
            // A completed task reminds no one; the next occurrence will, in its time.
            // Only this user's: on the shared PostgreSQL database other tests' reminders may fall due by then.
            let claimed = try await store.claimDueReminders(now: due, lateAfter: 60, limit: 10, webhook: false)
            #expect(claimed.filter { $0.task.userID == user.id }.isEmpty)
            await #expect(throws: TodoError.self) { _ = try NewTask(title: "x", reminder: .before(minutes: 30)) }
            await #expect(throws: TodoError.self) { _ = try NewTask(title: "x", dueAt: due, reminder: .before(minutes: 0)) }
        }
    }
}
