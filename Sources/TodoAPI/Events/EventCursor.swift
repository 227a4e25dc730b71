import Foundation
import TodoCore

/// Where a poll of the change log stands. Ids come from a sequence, and a transaction that took an id may commit
/// after a later one did, so an id skipped over is kept as missing for `patience` and asked for again; what
/// arrives late is still delivered, once.
struct EventCursor: Sendable {
    /// The highest id seen.
    private(set) var last: Int64
    /// Ids below `last` not seen yet, with when they were first missed.
    private(set) var missing: [Int64: Date]
    let patience: TimeInterval

    /// At most this many ids are waited for; a larger jump (a pruned log) is taken as settled.
    static let missingLimit = 500

    /// Starts after `last`; ids above `floor` absent from `present` may still commit.
    init(last: Int64, present: [Int64], floor: Int64, now: Date, patience: TimeInterval = 30) {
        self.last = last
        self.patience = patience
        missing = [:]
        let seen = Set(present)
        var id = last
        while id > floor, missing.count < Self.missingLimit {
            if !seen.contains(id) { missing[id] = now }
            id -= 1
        }
    }

    /// The ids to ask for besides those above `last`.
    var missingIDs: [Int64] { missing.keys.sorted() }

    /// Takes a poll's rows and returns the ones not delivered before, in id order; forgets what waited too long.
    mutating func accept(_ events: [ChangeEvent], now: Date) -> [ChangeEvent] {
        var fresh: [ChangeEvent] = []
        for event in events.sorted(by: { $0.id < $1.id }) {
            if missing.removeValue(forKey: event.id) != nil {
                fresh.append(event)
            } else if event.id > last {
                var skipped = last + 1
                while skipped < event.id, missing.count < Self.missingLimit {
                    missing[skipped] = now
                    skipped += 1
                }
                last = event.id
                fresh.append(event)
            }
        }
        missing = missing.filter { now.timeIntervalSince($0.value) < patience }
        return fresh
    }
}
