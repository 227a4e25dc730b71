import NIOCore
import Synchronization
import TodoCore

/// Task pages as sent, served again to the same user for the same query while the store's change stamp for that
/// user is unchanged (`TaskStore.taskChangeStamp`): a repeated listing costs neither a query nor an encoding.
///
/// Keyed by user id first, so nothing read for one user is ever answered to another, and by the query string as
/// sent, byte for byte (the database compares text by bytes; Swift's `==` would take two Unicode forms of a search
/// as one). A page is never served once `maximumAge` old, whatever the stamp says: a bound on any change the
/// database failed to announce. Bounded in bytes: entries go into a current half; when it is full it becomes the
/// previous half and the old previous half is dropped, and an entry found in the previous half moves back into
/// the current one (least recently used, approximately, at O(1)).
final class TaskPageCache: Sendable {
    /// How a listing was answered (`/metrics`).
    enum Outcome: String, CaseIterable, Sendable { case hit, miss, bypass }

    /// Which listing: `{"tasks": [...], "next_cursor": ...}` or the original spec's bare array.
    enum Shape: Hashable, Sendable { case page, array }

    struct Key: Hashable, Sendable {
        let userID: String
        /// The request's query string as received.
        let query: String
        let shape: Shape

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.shape == rhs.shape && lhs.userID.utf8.elementsEqual(rhs.userID.utf8) && lhs.query.utf8.elementsEqual(rhs.query.utf8)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(shape)
            for byte in userID.utf8 { hasher.combine(byte) }
            hasher.combine(0xFF as UInt8)
            for byte in query.utf8 { hasher.combine(byte) }
        }

        /// What an entry under this key costs besides its body: the key's text and the bookkeeping around it.
        var overhead: Int { userID.utf8.count + query.utf8.count + 512 }
    }

    private struct Entry {
        let stamp: ChangeStamp
        let body: ByteBuffer
        let stored: ContinuousClock.Instant
        /// What it was counted as when stored, so it is uncounted by the same amount.
        let cost: Int
    }

    private struct Halves {
        var current: [Key: Entry] = [:]
        var previous: [Key: Entry] = [:]
        var currentBytes = 0
    }

    private let halves = Mutex(Halves())
    /// The bytes one half may hold; the cache holds at most twice this.
    private let halfLimit: Int
    private let maximumAge: Duration
    private let now: @Sendable () -> ContinuousClock.Instant

    /// - Parameters:
    ///   - bytes: what the cache may hold in all; a page bigger than an eighth of it is never kept.
    ///   - maximumAge: how long a page may be served at most.
    init(bytes: Int, maximumAge: Duration = .seconds(30), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        halfLimit = max(bytes / 2, 1)
        self.maximumAge = maximumAge
        self.now = now
    }

    /// The page stored for `key` under `stamp`; a page stored under another stamp, or too long ago, is dropped.
    func body(for key: Key, stamp: ChangeStamp) -> ByteBuffer? {
        let now = now()
        let (body, dropped) = halves.withLock { halves -> (ByteBuffer?, [Key: Entry]?) in
            if let entry = halves.current[key] {
                guard entry.stamp == stamp, now - entry.stored < maximumAge else {
                    halves.current[key] = nil
                    halves.currentBytes -= entry.cost
                    return (nil, nil)
                }
                return (entry.body, nil)
            }
            guard let entry = halves.previous.removeValue(forKey: key), entry.stamp == stamp, now - entry.stored < maximumAge else {
                return (nil, nil)
            }
            return (entry.body, Self.insert(entry, for: key, into: &halves, limit: halfLimit))
        }
        // A dropped half is freed here, outside the lock, so other listings do not wait for it.
        withExtendedLifetime(dropped) {}
        return body
    }

    /// Keeps `body` for `key`, read under `stamp` (taken before the read).
    func store(_ body: ByteBuffer, for key: Key, stamp: ChangeStamp) {
        let entry = Entry(stamp: stamp, body: body, stored: now(), cost: body.capacity + key.overhead)
        guard entry.cost <= halfLimit / 4 else { return }
        let dropped = halves.withLock { halves in
            halves.previous[key] = nil
            return Self.insert(entry, for: key, into: &halves, limit: halfLimit)
        }
        withExtendedLifetime(dropped) {}
    }

    /// What the cache holds now, in bytes (for tests).
    var bytes: Int {
        halves.withLock { halves in halves.currentBytes + halves.previous.values.reduce(0) { $0 + $1.cost } }
    }

    /// Puts `entry` in the current half, first turning a half that it would overfill into the previous one; returns
    /// the half that this drops, for the caller to free outside the lock.
    private static func insert(_ entry: Entry, for key: Key, into halves: inout Halves, limit: Int) -> [Key: Entry]? {
        if let replaced = halves.current.removeValue(forKey: key) { halves.currentBytes -= replaced.cost }
        var dropped: [Key: Entry]?
        if halves.currentBytes + entry.cost > limit {
            dropped = halves.previous
            halves.previous = halves.current
            halves.current = [:]
            halves.currentBytes = 0
        }
        halves.current[key] = entry
        halves.currentBytes += entry.cost
        return dropped
    }
}
