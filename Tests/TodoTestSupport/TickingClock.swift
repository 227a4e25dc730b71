import Foundation
import Synchronization

/// A clock that moves one millisecond per reading, so ordering by time never depends on the machine's speed.
public final class TickingClock: Sendable {
    private let ticks = Mutex(0)
    private let start: Date

    public init(start: Date = Date(timeIntervalSince1970: 1_796_115_600)) {
        self.start = start
    }

    @Sendable public func now() -> Date {
        let tick = ticks.withLock { value -> Int in
            value += 1
            return value
        }
        return start.addingTimeInterval(Double(tick) / 1000)
    }
}
