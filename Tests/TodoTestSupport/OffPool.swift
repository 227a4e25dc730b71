import Foundation

/// Runs blocking work (a socket probe, waiting for a child process) on a thread of its own, so it never
/// occupies one of the few cooperative threads that an in-process server under test needs to answer.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try work() })
        }
        thread.start()
    }
}
