import Synchronization

/// A flag that is set once and read from any task, e.g. "text already reached the caller" or "the turn reported
/// its own end".
public final class OnceFlag: Sendable {
    private let value = Atomic<Bool>(false)

    public init() {}

    /// Sets the flag; true only for the call that set it first.
    @discardableResult
    public func set() -> Bool { !value.exchange(true, ordering: .acquiringAndReleasing) }

    public var isSet: Bool { value.load(ordering: .acquiring) }
}
