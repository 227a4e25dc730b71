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

/// A clock that stands still until a test moves it, for expiry and refresh rules.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    public init(start: Date = Date(timeIntervalSince1970: 1_796_115_600)) {
        current = Mutex(start)
    }

    @Sendable public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
