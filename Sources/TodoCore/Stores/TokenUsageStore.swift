/// Model tokens used per user and day, shared by every replica, for the daily budget.
public protocol TokenUsageStore: Sendable {
    /// Adds `tokens` to the user's count of `day` (`yyyy-MM-dd`, UTC).
    func addTokens(_ tokens: Int, userID: String, day: String) async throws
    /// The user's count of `day`; 0 when nothing was used.
    func tokensUsed(userID: String, day: String) async throws -> Int
}
