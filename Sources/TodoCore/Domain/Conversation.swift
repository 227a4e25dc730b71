import Foundation

/// A chat thread between one user and the agent.
public struct Conversation: Sendable, Equatable, Codable {
    public var id: Int64
    public var userID: String
    public var title: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, userID: String, title: String, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.userID = userID
        self.title = title
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, title
        case userID = "user_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
