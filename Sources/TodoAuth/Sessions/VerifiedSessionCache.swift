import Foundation
import Synchronization
import TodoCore

/// Sessions this replica verified in the last few seconds, so an authenticated read is not a session query too.
/// Keyed by token (a cached entry is the user that token belongs to, nothing else), bounded, and never held past the
/// session's own expiry. A sign-out on this replica removes the entry at once; one on another replica is seen
/// here within the time to live, which is therefore the bound on how long a revoked session keeps working.
public final class VerifiedSessionCache: Sendable {
    private struct Entry {
        let session: AuthenticatedSession
        let validUntil: Date
    }

    private let timeToLive: TimeInterval
    private let capacity: Int
    private let entries = Mutex([String: Entry]())

    /// A time to live of zero turns the cache off.
    public init(timeToLive: Duration, capacity: Int = 10_000) {
        self.timeToLive = timeToLive.timeInterval
        self.capacity = capacity
    }

    public var isEnabled: Bool { timeToLive > 0 }

    func session(token: String, now: Date) -> AuthenticatedSession? {
        guard isEnabled else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard entry.validUntil > now else {
                entries[token] = nil
                return nil
            }
            return entry.session
        }
    }

    func store(_ session: AuthenticatedSession, token: String, now: Date) {
        guard isEnabled else { return }
        let validUntil = min(now.addingTimeInterval(timeToLive), session.session.expiresAt)
        entries.withLock { entries in
            if entries.count >= capacity, entries[token] == nil {
                entries = entries.filter { $0.value.validUntil > now }
                // Still full of live entries: start again rather than track recency; a miss only costs a query.
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = Entry(session: session, validUntil: validUntil)
        }
    }

    func remove(token: String) {
        entries.withLock { _ = $0.removeValue(forKey: token) }
    }
}
