import Foundation

/// Who wrote a message in a conversation.
public enum MessageRole: String, Sendable, Codable, CaseIterable {
    case user, assistant, tool, system
}

/// One stored turn of a conversation; `toolCalls` is the JSON the agent recorded, kept verbatim.
public struct Message: Sendable, Equatable, Codable {
    public var id: Int64
    public var conversationID: Int64
    public var userID: String
    public var role: MessageRole
    public var content: String
    public var toolCalls: String?
    /// The chat turn the message belongs to: the user's message and the answer share it. Nil on messages stored
    /// before turns had ids.
    public var turnID: String?
    /// How an answer ended when it did not complete: `stopped`, `interrupted` or `failed`.
    public var status: TurnStatus?
    public var createdAt: Date

    public init(
        id: Int64, conversationID: Int64, userID: String, role: MessageRole, content: String,
        toolCalls: String? = nil, turnID: String? = nil, status: TurnStatus? = nil, createdAt: Date
    ) {
        self.id = id
        self.conversationID = conversationID
        self.userID = userID
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.turnID = turnID
        self.status = status
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, role, content
        case conversationID = "conversation_id"
        case userID = "user_id"
        case toolCalls = "tool_calls"
        case turnID = "turn_id"
        case createdAt = "created_at"
        case status
    }
}

/// A message to append; the store assigns id and time.
public struct NewMessage: Sendable, Equatable {
    public var role: MessageRole
    public var content: String
    public var toolCalls: String?
    public var turnID: String?
    public var status: TurnStatus?

    public init(role: MessageRole, content: String, toolCalls: String? = nil, turnID: String? = nil, status: TurnStatus? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.turnID = turnID
        self.status = status
    }
}
