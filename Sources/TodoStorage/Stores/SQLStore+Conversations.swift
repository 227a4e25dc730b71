import Foundation
import TodoCore

extension SQLStore {
    static let conversationColumns = "id, user_id, title, created_at, updated_at"
    static let messageColumns = "id, conversation_id, user_id, role, content, tool_calls, turn_id, status, created_at"

    public func createConversation(title: String, userID: String) async throws -> Conversation {
        let stamp = now()
        let title = try Self.conversationTitle(title)
        return try await database.transaction { executor in
            let rows = try await executor.query(
                "INSERT INTO conversations (user_id, title, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING \(Self.conversationColumns)",
                [.text(userID), .text(title), .date(stamp)]
            )
            let conversation = try Self.conversation(from: rows[0])
            try await Self.record(executor, "conversation.created", conversation: conversation, stamp: stamp)
            return conversation
        }
    }

    public func conversations(userID: String, limit: Int) async throws -> [Conversation] {
        try await database.query(
            "SELECT \(Self.conversationColumns) FROM conversations WHERE user_id = $1 ORDER BY updated_at DESC, id DESC LIMIT $2",
            [.text(userID), .int(Int64(max(1, min(limit, 500))))]
        ).map(Self.conversation(from:))
    }

    public func conversation(id: Int64, userID: String) async throws -> Conversation {
        let rows = try await database.query(
            "SELECT \(Self.conversationColumns) FROM conversations WHERE id = $1 AND user_id = $2", [.int(id), .text(userID)]
        )
        guard let row = rows.first else { throw TodoError.notFound(resource: "conversation", id: String(id)) }
        return try Self.conversation(from: row)
    }

    public func renameConversation(id: Int64, title: String, userID: String) async throws -> Conversation {
        let stamp = now()
        let title = try Self.conversationTitle(title)
        return try await database.transaction { executor in
            let rows = try await executor.query(
                "UPDATE conversations SET title = $1, updated_at = $2 WHERE id = $3 AND user_id = $4 RETURNING \(Self.conversationColumns)",
                [.text(title), .date(stamp), .int(id), .text(userID)]
            )
            guard let row = rows.first else { throw TodoError.notFound(resource: "conversation", id: String(id)) }
            let conversation = try Self.conversation(from: row)
            try await Self.record(executor, "conversation.updated", conversation: conversation, stamp: stamp)
            return conversation
        }
    }

    public func deleteConversation(id: Int64, userID: String) async throws {
        let stamp = now()
        try await database.transaction { executor in
            // Explicit, so deletion does not depend on SQLite's per-connection foreign_keys setting.
            try await executor.execute("DELETE FROM messages WHERE conversation_id = $1 AND user_id = $2", [.int(id), .text(userID)])
            let rows = try await executor.query(
                "DELETE FROM conversations WHERE id = $1 AND user_id = $2 RETURNING id", [.int(id), .text(userID)]
            )
            guard !rows.isEmpty else { throw TodoError.notFound(resource: "conversation", id: String(id)) }
            try await Self.record(executor, "conversation.deleted", userID: userID, data: WireJSON.text(["conversation_id": id]), stamp: stamp)
        }
    }

    public func messages(conversationID: Int64, userID: String, limit: Int) async throws -> [Message] {
        _ = try await conversation(id: conversationID, userID: userID)
        let rows = try await database.query(
            "SELECT \(Self.messageColumns) FROM messages WHERE conversation_id = $1 AND user_id = $2 ORDER BY id DESC LIMIT $3",
            [.int(conversationID), .text(userID), .int(Int64(max(1, limit)))]
        )
        return try rows.reversed().map(Self.message(from:))
    }

    public func appendMessages(_ messages: [NewMessage], conversationID: Int64, userID: String) async throws -> [Message] {
        let stamp = now()
        return try await database.transaction { executor in
            try await Self.append(executor, messages, conversationID: conversationID, userID: userID, stamp: stamp)
        }
    }

    /// Touches the conversation, inserts the messages and logs `conversation.updated`, in the caller's transaction.
    static func append(
        _ executor: any SQLExecutor, _ messages: [NewMessage], conversationID: Int64, userID: String, stamp: Date
    ) async throws -> [Message] {
        let touched = try await executor.query(
            "UPDATE conversations SET updated_at = $1 WHERE id = $2 AND user_id = $3 RETURNING \(conversationColumns)",
            [.date(stamp), .int(conversationID), .text(userID)]
        )
        guard let row = touched.first else { throw TodoError.notFound(resource: "conversation", id: String(conversationID)) }
        var stored: [Message] = []
        for message in messages {
            let rows = try await executor.query(
                """
                INSERT INTO messages (conversation_id, user_id, role, content, tool_calls, turn_id, status, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING \(messageColumns)
                """,
                [
                    .int(conversationID), .text(userID), .text(message.role.rawValue), .text(message.content),
                    .optional(message.toolCalls, SQLValue.json), .optional(message.turnID, SQLValue.text),
                    .optional(message.status) { .text($0.rawValue) }, .date(stamp),
                ]
            )
            stored.append(try Self.message(from: rows[0]))
        }
        try await record(executor, "conversation.updated", conversation: try conversation(from: row), stamp: stamp)
        return stored
    }

    static func conversationTitle(_ raw: String) throws(TodoError) -> String {
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard TaskRules.characters(title) <= TaskRules.titleLimit else {
            throw .validation(field: "title", message: "title must be at most \(TaskRules.titleLimit) characters")
        }
        return title
    }

    static func conversation(from row: SQLRow) throws -> Conversation {
        Conversation(
            id: try row.int("id"), userID: try row.string("user_id"), title: try row.string("title"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at")
        )
    }

    static func message(from row: SQLRow) throws -> Message {
        Message(
            id: try row.int("id"), conversationID: try row.int("conversation_id"), userID: try row.string("user_id"),
            role: MessageRole(rawValue: try row.string("role")) ?? .assistant, content: try row.string("content"),
            toolCalls: row.optionalString("tool_calls"), turnID: row.optionalString("turn_id"),
            status: row.optionalString("status").flatMap(TurnStatus.init(rawValue:)), createdAt: try row.date("created_at")
        )
    }
}
