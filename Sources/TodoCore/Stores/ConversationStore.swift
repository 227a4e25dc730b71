/// Persistence of conversations and their messages. Every method is scoped to `userID`.
public protocol ConversationStore: Sendable {
    func createConversation(title: String, userID: String) async throws -> Conversation
    /// The user's conversations, most recently updated first.
    func conversations(userID: String, limit: Int) async throws -> [Conversation]
    func conversation(id: Int64, userID: String) async throws -> Conversation
    func renameConversation(id: Int64, title: String, userID: String) async throws -> Conversation
    /// Deletes the conversation and its messages.
    func deleteConversation(id: Int64, userID: String) async throws
    /// The last `limit` messages, oldest first.
    func messages(conversationID: Int64, userID: String, limit: Int) async throws -> [Message]
    /// Appends messages in one transaction and touches the conversation's `updated_at`.
    func appendMessages(_ messages: [NewMessage], conversationID: Int64, userID: String) async throws -> [Message]
}
