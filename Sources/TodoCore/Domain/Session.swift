import Foundation

/// A signed-in browser or client, stored in Better Auth's `session` table.
public struct Session: Sendable, Equatable, Codable {
    public var id: String
    /// The secret bearer value; only its signed form goes into cookies.
    public var token: String
    public var userID: String
    public var expiresAt: Date
    public var createdAt: Date
    public var updatedAt: Date
    public var ipAddress: String?
    public var userAgent: String?

    public init(
        id: String, token: String, userID: String, expiresAt: Date, createdAt: Date, updatedAt: Date,
        ipAddress: String? = nil, userAgent: String? = nil
    ) {
        self.id = id
        self.token = token
        self.userID = userID
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.ipAddress = ipAddress
        self.userAgent = userAgent
    }

    enum CodingKeys: String, CodingKey {
        case id, token, expiresAt, createdAt, updatedAt, ipAddress, userAgent
        case userID = "userId"
    }
}

extension Session {
    /// As Better Auth answers: a missing IP address or user agent is `null`, not left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(token, forKey: .token)
        try container.encode(userID, forKey: .userID)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(ipAddress, forKey: .ipAddress)
        try container.encode(userAgent, forKey: .userAgent)
    }
}

/// A session together with its user, what every authenticated request resolves to.
public struct AuthenticatedSession: Sendable, Equatable {
    public var session: Session
    public var user: User

    public init(session: Session, user: User) {
        self.session = session
        self.user = user
    }
}
