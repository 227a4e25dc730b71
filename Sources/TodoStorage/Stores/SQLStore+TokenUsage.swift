import Foundation
import TodoCore

extension SQLStore: TokenUsageStore {
    public func addTokens(_ tokens: Int, userID: String, day: String) async throws {
        guard tokens > 0 else { return }
        // One statement, so replicas adding at once never lose a count.
        try await database.execute(
            """
            INSERT INTO token_usage (user_id, day, tokens) VALUES ($1, $2, $3)
            ON CONFLICT (user_id, day) DO UPDATE SET tokens = token_usage.tokens + excluded.tokens
            """,
            [.text(userID), .text(day), .int(Int64(tokens))]
        )
    }

    public func tokensUsed(userID: String, day: String) async throws -> Int {
        let rows = try await database.query("SELECT tokens FROM token_usage WHERE user_id = $1 AND day = $2", [.text(userID), .text(day)])
        return try rows.first.map { Int(try $0.int("tokens")) } ?? 0
    }
}
