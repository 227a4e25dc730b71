import Foundation
import TodoCore

/// The model tokens a user may spend per day (UTC), counted in the shared store so every replica sees the same
/// total. A turn is refused once the day's tokens are spent; the turn that crosses the line finishes (its cost is
/// known only as it runs), so a user can go over by at most one turn.
public struct TokenBudget: Sendable {
    /// Tokens per user and day; 0 means unlimited (usage is still counted).
    public let dailyTokens: Int
    let store: any TokenUsageStore

    public init(dailyTokens: Int, store: any TokenUsageStore) {
        self.dailyTokens = dailyTokens
        self.store = store
    }

    /// The UTC day a moment counts for, `yyyy-MM-dd`.
    static func day(_ date: Date) -> String {
        String(Timestamp.format(date).prefix(10))
    }

    /// Throws `quotaExceeded` (429, until midnight UTC) when the user has spent the day's tokens.
    func check(userID: String, now: Date) async throws {
        guard dailyTokens > 0 else { return }
        let used = try await store.tokensUsed(userID: userID, day: Self.day(now))
        guard used >= dailyTokens else { return }
        let seconds = 86_400 - Int(now.timeIntervalSince1970) % 86_400
        throw TodoError.quotaExceeded(
            code: "TOKEN_BUDGET_EXCEEDED",
            message: "You have used today's \(dailyTokens) assistant tokens (\(used) so far). The budget renews at midnight UTC, "
                + "in \(seconds / 3600) h \(seconds % 3600 / 60) min; your tasks stay usable meanwhile.",
            retryAfter: seconds
        )
    }

    /// Adds a step's tokens to the user's day.
    func record(_ usage: TokenUsage, userID: String, now: Date) async throws {
        try await store.addTokens(usage.total, userID: userID, day: Self.day(now))
    }
}
