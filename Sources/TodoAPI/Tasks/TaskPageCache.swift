import NIOCore
import Synchronization
import TodoCore

/// Task pages as sent, served again to the same user for the same query while the store's change stamp for that
/// user is unchanged (`TaskStore.taskChangeStamp`): a repeated listing costs neither a query nor an encoding.
///
/// Keyed by user id first, so nothing read for one user is ever answered to another. Bounded in bytes: entries go
/// into a current half; when it is full it becomes the previous half and the old previous half is dropped, and an
/// entry found in the previous half moves back into the current one (least recently used, approximately, at O(1)).
final class TaskPageCache: Sendable {
    /// How a listing was answered (`/metrics`).
    enum Outcome: String, CaseIterable, Sendable { case hit, miss, bypass }

    /// Which listing: `{"tasks": [...], "next_cursor": ...}` or the original spec's bare array.
    enum Shape: Hashable, Sendable { case page, array }

    struct Key: Hashable, Sendable {
        let userID: String
        let query: TaskQuery
        let shape: Shape
    }

    private struct Entry {
        let stamp: ChangeStamp
        let body: ByteBuffer
    }

    private struct Halves {
        var current: [Key: Entry] = [:]
        var previous: [Key: Entry] = [:]
        var currentBytes = 0
    }

    private let halves = Mutex(Halves())
    /// The bytes one half may hold; the cache holds at most twice this.
    private let halfLimit: Int

    /// - Parameter bytes: what the cache may hold in all; a page bigger than an eighth of it is never kept.
    init(bytes: Int) {
        halfLimit = max(bytes / 2, 1)
    }

    /// The page stored for `key` under `stamp`; a page stored under another stamp is stale and dropped.
    func body(for key: Key, stamp: ChangeStamp) -> ByteBuffer? {
        halves.withLock { halves in
            if let entry = halves.current[key] {
                guard entry.stamp == stamp else {
                    halves.current[key] = nil
                    halves.currentBytes -= Self.cost(entry, key)
                    return nil
                }
                return entry.body
            }
            guard let entry = halves.previous.removeValue(forKey: key), entry.stamp == stamp else { return nil }
            Self.insert(entry, for: key, into: &halves, limit: halfLimit)
            return entry.body
        }
    }

    /// Keeps `body` for `key`, read under `stamp` (taken before the read).
    func store(_ body: ByteBuffer, for key: Key, stamp: ChangeStamp) {
        let entry = Entry(stamp: stamp, body: body)
        guard Self.cost(entry, key) <= halfLimit / 4 else { return }
        halves.withLock { halves in
            halves.previous[key] = nil
            Self.insert(entry, for: key, into: &halves, limit: halfLimit)
        }
    }

    /// What the cache holds now, in bytes (for tests and metrics).
    var bytes: Int {
        halves.withLock { halves in halves.currentBytes + halves.previous.reduce(0) { $0 + Self.cost($1.value, $1.key) } }
    }

    private static func insert(_ entry: Entry, for key: Key, into halves: inout Halves, limit: Int) {
        if let replaced = halves.current.updateValue(entry, forKey: key) { halves.currentBytes -= cost(replaced, key) }
        halves.currentBytes += cost(entry, key)
        if halves.currentBytes > limit {
            halves.previous = halves.current
            halves.current = [:]
            halves.currentBytes = 0
        }
    }

    /// The body's storage, its key's text, and the dictionary's share.
    private static func cost(_ entry: Entry, _ key: Key) -> Int {
        entry.body.capacity + key.userID.utf8.count + (key.query.text?.utf8.count ?? 0) + (key.query.tag?.utf8.count ?? 0)
            + (key.query.after?.key?.utf8.count ?? 0) + 256
    }
}
