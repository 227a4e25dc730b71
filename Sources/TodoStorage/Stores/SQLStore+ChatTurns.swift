import Foundation
import TodoCore

extension SQLStore: ChatTurnStore {
    public func startTurn(
        id: String, conversationID: Int64, userID: String, message: String, replacing: String?, staleBefore: Date
    ) async throws -> Message {
        let stamp = now()
        return try await database.transaction { executor in
            // The conversation's row lock serialises the turns that start in it on PostgreSQL; SQLite has one writer.
            let owned = try await executor.query(
                "SELECT id FROM conversations WHERE id = $1 AND user_id = $2\(executor.rowLock)", [.int(conversationID), .text(userID)]
            )
            guard !owned.isEmpty else { throw TodoError.notFound(resource: "conversation", id: String(conversationID)) }
            try await executor.execute(
                "UPDATE chat_turns SET status = 'interrupted', ended_at = $1 WHERE conversation_id = $2 AND status = 'running' AND heartbeat_at < $3",
                [.date(stamp), .int(conversationID), .date(staleBefore)]
            )
            try await executor.execute("DELETE FROM chat_turns WHERE conversation_id = $1 AND status <> 'running'", [.int(conversationID)])
            let running = try await executor.query(
                "SELECT id FROM chat_turns WHERE conversation_id = $1 AND status = 'running'", [.int(conversationID)]
            )
            guard running.isEmpty else {
                throw TodoError.stateConflict(
                    code: "TURN_RUNNING", message: "A reply is still being written in this conversation; stop it or wait for it to finish."
                )
            }
            if let replacing {
                let last = try await executor.query(
                    "SELECT turn_id FROM messages WHERE conversation_id = $1 AND role = 'user' ORDER BY id DESC LIMIT 1",
                    [.int(conversationID)]
                )
                guard last.first?.optionalString("turn_id") == replacing else {
                    throw TodoError.stateConflict(code: "TURN_NOT_LAST", message: "Only the conversation's last turn can be regenerated or edited.")
                }
                try await executor.execute(
                    "DELETE FROM messages WHERE conversation_id = $1 AND turn_id = $2", [.int(conversationID), .text(replacing)]
                )
            }
            try await executor.execute(
                """
                INSERT INTO chat_turns (id, conversation_id, user_id, status, started_at, heartbeat_at)
                VALUES ($1, $2, $3, 'running', $4, $4)
                """,
                [.text(id), .int(conversationID), .text(userID), .date(stamp)]
            )
            let stored = try await Self.append(
                executor, [NewMessage(role: .user, content: message, turnID: id)], conversationID: conversationID, userID: userID, stamp: stamp
            )
            return stored[0]
        }
    }

    public func finishTurn(id: String, conversationID: Int64, userID: String, answer: NewMessage?, status: TurnStatus) async throws {
        let stamp = now()
        try await database.transaction { executor in
            if let answer {
                _ = try await Self.append(executor, [answer], conversationID: conversationID, userID: userID, stamp: stamp)
            }
            try await executor.execute(
                "UPDATE chat_turns SET status = $1, ended_at = $2 WHERE id = $3 AND user_id = $4",
                [.text(status.rawValue), .date(stamp), .text(id), .text(userID)]
            )
        }
    }

    public func requestStop(conversationID: Int64, userID: String, turnID: String?, staleBefore: Date) async throws -> StopRequest {
        let stamp = now()
        return try await database.transaction { executor in
            let owned = try await executor.query(
                "SELECT id FROM conversations WHERE id = $1 AND user_id = $2", [.int(conversationID), .text(userID)]
            )
            guard !owned.isEmpty else { throw TodoError.notFound(resource: "conversation", id: String(conversationID)) }
            var binds: [SQLValue] = [.int(conversationID), .text(userID)]
            if let turnID { binds.append(.text(turnID)) }
            let rows = try await executor.query(
                """
                UPDATE chat_turns SET stop_requested = $\(binds.count + 1) WHERE conversation_id = $1 AND user_id = $2
                AND status = 'running'\(turnID == nil ? "" : " AND id = $3") RETURNING id, heartbeat_at
                """,
                binds + [.bool(true)]
            )
            guard let row = rows.first else {
                throw TodoError.stateConflict(code: "NO_RUNNING_TURN", message: "No reply is being written in this conversation.")
            }
            let id = try row.string("id")
            guard let beat = row.optionalDate("heartbeat_at"), beat < staleBefore else { return StopRequest(turnID: id, wasAbandoned: false) }
            // Its replica is gone: nobody will stop it, so it ends here and frees the conversation.
            try await executor.execute(
                "UPDATE chat_turns SET status = 'interrupted', ended_at = $1 WHERE id = $2", [.date(stamp), .text(id)]
            )
            return StopRequest(turnID: id, wasAbandoned: true)
        }
    }

    public func stopRequested(among ids: [String]) async throws -> [String] {
        guard !ids.isEmpty else { return [] }
        let binds = ids.map(SQLValue.text)
        return try await database.query(
            "SELECT id FROM chat_turns WHERE stop_requested = $1 AND status = 'running' AND id IN (\(Self.placeholders(binds, from: 2)))",
            [.bool(true)] + binds
        ).map { try $0.string("id") }
    }

    public func heartbeat(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        let binds = ids.map(SQLValue.text)
        try await database.execute(
            "UPDATE chat_turns SET heartbeat_at = $1 WHERE status = 'running' AND id IN (\(Self.placeholders(binds, from: 2)))",
            [.date(now())] + binds
        )
    }
}
