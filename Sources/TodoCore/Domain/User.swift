import Foundation

/// An account holder, stored in Better Auth's `user` table.
public struct User: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var email: String
    public var emailVerified: Bool
    public var image: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, name: String, email: String, emailVerified: Bool = false, image: String? = nil,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.emailVerified = emailVerified
        self.image = image
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
