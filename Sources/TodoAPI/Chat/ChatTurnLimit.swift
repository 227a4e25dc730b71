import Synchronization
import TodoCore

/// How many chat turns each user may run at once on this replica. A turn holds model and database capacity for up
/// to `AGENT_TIMEOUT`, and keeps running after its client leaves, so without a cap one account could start turns
/// faster than they finish. One over the cap is a 429.
final class ChatTurnLimit: Sendable {
    let perUser: Int
    private let running = Mutex<[String: Int]>([:])

    init(perUser: Int) {
        self.perUser = perUser
    }

    /// A place for one turn of `userID`; give it back with `release` when the turn has ended.
    func acquire(_ userID: String) throws(TodoError) -> Lease {
        let admitted = running.withLock { running in
            let count = running[userID, default: 0]
            guard count < perUser else { return false }
            running[userID] = count + 1
            return true
        }
        guard admitted else { throw .rateLimited(retryAfter: 5) }
        return Lease(limit: self, userID: userID)
    }

    fileprivate func release(_ userID: String) {
        running.withLock { running in
            let count = running[userID, default: 1] - 1
            running[userID] = count > 0 ? count : nil
        }
    }

    /// One running turn's place; releasing it twice releases it once.
    final class Lease: Sendable {
        private let limit: ChatTurnLimit
        private let userID: String
        private let released = OnceFlag()

        fileprivate init(limit: ChatTurnLimit, userID: String) {
            self.limit = limit
            self.userID = userID
        }

        func release() {
            guard released.set() else { return }
            limit.release(userID)
        }
    }
}
