import Testing

/// Marks tests that cost a lot at once: real servers on loopback, subprocesses of the binary, real-cost scrypt.
/// At most `heavyTestGate`'s places of them run at the same time, whatever the test runner's parallelism, so on a
/// slow or busy machine no request of theirs waits behind dozens of others past an HTTP client's fixed timeout.
/// Applied to a suite, it holds a place per test case, never for the whole suite.
public struct HeavyTest: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard testCase != nil else { return try await function() }
        try await heavyTestGate.run { try await function() }
    }
}

extension Trait where Self == HeavyTest {
    /// See `HeavyTest`.
    public static var heavy: Self { HeavyTest() }
}

/// Two cores run about this many heavy tests without starving any of them.
let heavyTestGate = AsyncGate(places: 4)
