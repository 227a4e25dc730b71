import Logging
import Synchronization
import Testing
import TodoCore
@testable import TodoMail

@Suite struct MailOutboxTests {
    let message = MailMessage(to: "ada@example.com", subject: "s", text: "t", html: "h", link: "https://x")

    /// Answers with the scripted outcomes in order, then success; records the pauses asked for.
    final class Script: Sendable {
        let outcomes: Mutex<[SMTPError?]>
        let attempts = Mutex(0)
        let pauses = Mutex<[Duration]>([])
        init(_ outcomes: [SMTPError?]) { self.outcomes = Mutex(outcomes) }

        func send(_ message: MailMessage) throws {
            attempts.withLock { $0 += 1 }
            if let error = outcomes.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { throw error }
        }
    }

    func outbox(_ script: Script) -> MailOutbox {
        MailOutbox(
            transport: { try script.send($0) }, retryPauses: [.seconds(5), .seconds(30), .seconds(120)],
            logger: Logger(label: "test"), sleep: { pause in script.pauses.withLock { $0.append(pause) } }
        )
    }

    @Test func aPassingFailureIsRetriedWithGrowingPauses() async {
        let script = Script([.closed, .refused(step: "RCPT", code: 451, text: "try later")])
        await outbox(script).deliver(message)
        #expect(script.attempts.withLock { $0 } == 3)
        #expect(script.pauses.withLock { $0 } == [.seconds(5), .seconds(30)])
    }

    @Test func aPermanentRefusalIsNotRetried() async {
        let script = Script([.refused(step: "RCPT", code: 550, text: "no such user"), nil])
        await outbox(script).deliver(message)
        #expect(script.attempts.withLock { $0 } == 1)
        #expect(script.pauses.withLock { $0 }.isEmpty)
    }

    @Test func aServerThatNeverRecoversCostsFourAttemptsThenTheMessageIsLogged() async {
        let script = Script(Array(repeating: .closed, count: 10))
        await outbox(script).deliver(message)
        #expect(script.attempts.withLock { $0 } == 4)
    }
}
