import Foundation
import TodoCore

extension SQLStore {
    public func openMCPSession(id: String, userID: String, limit: Int, now: Date) async throws -> [String] {
        try await database.transaction { sql in
            try await sql.execute(
                "INSERT INTO mcp_sessions (id, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $3)",
                [.text(id), .text(userID), .date(now)]
            )
            // The new session sorts first, whatever the clocks of other replicas wrote.
            let ended = try await sql.query(
                """
                DELETE FROM mcp_sessions WHERE user_id = $1 AND id NOT IN (
                    SELECT id FROM mcp_sessions WHERE user_id = $1 ORDER BY (id = $3) DESC, last_used_at DESC, id DESC LIMIT $2
                ) RETURNING id
                """,
                [.text(userID), .int(Int64(max(1, limit))), .text(id)]
            )
            return try ended.map { try $0.string("id") }
        }
    }

    public func touchMCPSession(id: String, userID: String, idleSince: Date, now: Date) async throws -> Bool {
        let rows = try await database.query(
            "UPDATE mcp_sessions SET last_used_at = $1 WHERE id = $2 AND user_id = $3 AND last_used_at > $4 RETURNING id",
            [.date(now), .text(id), .text(userID), .date(idleSince)]
        )
        return !rows.isEmpty
    }

    public func endMCPSession(id: String, userID: String) async throws -> Bool {
        let rows = try await database.query(
            "DELETE FROM mcp_sessions WHERE id = $1 AND user_id = $2 RETURNING id", [.text(id), .text(userID)]
        )
        return !rows.isEmpty
    }

    public func expireMCPSessions(idleSince: Date) async throws -> [String] {
        let rows = try await database.query("DELETE FROM mcp_sessions WHERE last_used_at <= $1 RETURNING id", [.date(idleSince)])
        return try rows.map { try $0.string("id") }
    }

    public func openMCPSessions(among ids: [String]) async throws -> Set<String> {
        var open: Set<String> = []
        // A bounded number of parameters per statement, whatever the number of sessions.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)]
            let placeholders = (1...chunk.count).map { "$\($0)" }.joined(separator: ", ")
            let rows = try await database.query("SELECT id FROM mcp_sessions WHERE id IN (\(placeholders))", chunk.map { .text($0) })
            for row in rows { open.insert(try row.string("id")) }
        }
        return open
    }
}
