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

extension User {
    private enum CodingKeys: String, CodingKey { case id, name, email, emailVerified, image, createdAt, updatedAt }

    /// As Better Auth answers: a missing image is `null`, not left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(email, forKey: .email)
        try container.encode(emailVerified, forKey: .emailVerified)
        try container.encode(image, forKey: .image)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
