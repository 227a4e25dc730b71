import Synchronization

/// A value read on every use and replaced as a whole when the process reloads its configuration (SIGHUP), such as
/// the `BETTER_AUTH_SECRET` list or the model server's API key.
public final class Reloadable<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    public init(_ value: Value) {
        storage = Mutex(value)
    }

    /// The current value; readers never see a half-replaced one.
    public var value: Value {
        storage.withLock { $0 }
    }

    /// Replaces the value and tells whether it changed.
    @discardableResult
    public func replace(with newValue: Value) -> Bool where Value: Equatable {
        storage.withLock { current in
            guard current != newValue else { return false }
            current = newValue
            return true
        }
    }
}
