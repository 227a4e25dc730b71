import Synchronization
import TodoCore

/// Counts changes to each user's tasks, so a cache can tell whether a page it read is still current
/// (`TaskStore.taskChangeStamp`).
///
/// A fixed table of counters, one per hash of a user id: memory stays the same however many users there are, and
/// two users sharing a counter only ever invalidate each other's pages early. How changes reach it depends on the
/// database: this process's writes always count at once (`changed`); SQLite adds its own count of commits by any
/// connection; on PostgreSQL other replicas' writes arrive as notifications and count only while they are known to
/// arrive (`confirmed(until:)`), and every stretch in which they might not have starts a new epoch.
public final class ChangeTracker: Sendable {
    /// How a tracker learns of other processes' changes.
    public enum Coverage: Sendable {
        /// It does not: nothing may be reused (an in-memory database needs no cache; caching switched off).
        case none
        /// The database counts every commit (SQLite's `data_version`); the closure reads that count.
        case databaseCount(@Sendable () -> UInt64?)
        /// Announced changes, trusted until the time each confirmation names (PostgreSQL LISTEN/NOTIFY).
        case confirmed
    }

    static let slotCount = 4096

    private struct State {
        var slots = [UInt64](repeating: 0, count: ChangeTracker.slotCount)
        var epoch: UInt64 = 1
        var trustedUntil: ContinuousClock.Instant?
        var lastAsked: ContinuousClock.Instant?
    }

    private let state: Mutex<State>
    private let coverage: Coverage
    private let now: @Sendable () -> ContinuousClock.Instant

    public init(_ coverage: Coverage, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.coverage = coverage
        self.now = now
        state = Mutex(State())
    }

    /// The stamp of `scope`'s data now; nil when changes to it may go unseen.
    public func stamp(scope: String) -> ChangeStamp? {
        let slot = Self.slot(scope)
        switch coverage {
        case .none:
            return nil
        case .databaseCount(let count):
            // Read the counter before the database's count: a write counted between the two makes the next stamp differ.
            let local = state.withLock { $0.slots[slot] }
            guard let database = count() else { return nil }
            return ChangeStamp(epoch: 1, local: local, database: database)
        case .confirmed:
            let now = now()
            return state.withLock { state in
                state.lastAsked = now
                guard let until = state.trustedUntil, now < until else { return nil }
                return ChangeStamp(epoch: state.epoch, local: state.slots[slot])
            }
        }
    }

    /// `scope`'s data changed (or may have: a write whose outcome is unknown counts too).
    public func changed(scope: String) {
        let slot = Self.slot(scope)
        state.withLock { $0.slots[slot] &+= 1 }
    }

    /// Anything may have changed: every earlier stamp is stale.
    public func changedEverything() {
        state.withLock { $0.epoch &+= 1 }
    }

    /// Every change committed before a heartbeat sent at some moment has arrived; trust that until `until`. Coming
    /// back after a stretch without trust starts a new epoch, since changes in that stretch may have been missed.
    public func confirmed(until: ContinuousClock.Instant) {
        let now = now()
        state.withLock { state in
            if state.trustedUntil.map({ now >= $0 }) ?? true { state.epoch &+= 1 }
            state.trustedUntil = max(until, state.trustedUntil ?? until)
        }
    }

    /// Announcements may no longer arrive (the connection ended): trust nothing until the next confirmation.
    public func lost() {
        state.withLock { state in
            guard state.trustedUntil != nil else { return }
            state.trustedUntil = nil
            state.epoch &+= 1
        }
    }

    /// When a stamp was last asked for (nil: never), so announcements are only followed while pages are read: a
    /// process that reads no pages (`migrate`, `chat`, the cache switched off) never opens the feed.
    public var lastAsked: ContinuousClock.Instant? { state.withLock { $0.lastAsked } }

    static func slot(_ scope: String) -> Int {
        var hasher = Hasher()
        hasher.combine(scope)
        return Int(UInt(bitPattern: hasher.finalize()) % UInt(slotCount))
    }
}
