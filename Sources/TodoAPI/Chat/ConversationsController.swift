import Foundation
import HTTPTypes
import Hummingbird
import TodoAgent
import TodoCore

/// `/api/conversations`: the signed-in user's chats, their messages, renaming and deleting.
struct ConversationsController {
    let store: any ConversationStore

    struct ConversationList: Encodable {
        let conversations: [Conversation]
    }

    struct ConversationDetail: Encodable {
        let conversation: Conversation
        let messages: [MessageView]
    }

    /// A message as the API shows it: `tool_calls` as JSON, not as text.
    struct MessageView: Encodable {
        let id: Int64
        let role: String
        let content: String
        let toolCalls: JSONValue?
        let turnID: String?
        let status: TurnStatus?
        let createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, role, content, status
            case toolCalls = "tool_calls"
            case turnID = "turn_id"
            case createdAt = "created_at"
        }

        init(_ message: Message) {
            id = message.id
            role = message.role.rawValue
            content = message.content
            toolCalls = message.toolCalls.flatMap(JSONValue.parse)
            turnID = message.turnID
            status = message.status
            createdAt = message.createdAt
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(role, forKey: .role)
            try container.encode(content, forKey: .content)
            try container.encode(toolCalls, forKey: .toolCalls)
            try container.encode(turnID, forKey: .turnID)
            try container.encode(status, forKey: .status)
            try container.encode(createdAt, forKey: .createdAt)
        }
    }

    struct RenameBody: Decodable {
        let title: String
    }

    func register(on router: Router<APIRequestContext>, authentication: AuthenticationMiddleware) {
        let group = router.group("api/conversations").add(middleware: authentication)
        group.get(use: list)
        group.get(":id", use: detail)
        group.patch(":id", use: rename)
        group.delete(":id", use: delete)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let limit = try Self.limit(request, default: 50, max: 200)
        return .json(.ok, ConversationList(conversations: try await store.conversations(userID: try context.requireUserID(), limit: limit)))
    }

    @Sendable func detail(_ request: Request, context: APIRequestContext) async throws -> Response {
        let userID = try context.requireUserID()
        let id = try Self.id(context)
        let conversation = try await store.conversation(id: id, userID: userID)
        let messages = try await store.messages(conversationID: id, userID: userID, limit: try Self.limit(request, default: 200, max: 500))
        return .json(.ok, ConversationDetail(conversation: conversation, messages: messages.map(MessageView.init)))
    }

    @Sendable func rename(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(RenameBody.self, context: context)
        try TaskRules.storable(body.title, field: "title")
        return .json(.ok, try await store.renameConversation(id: try Self.id(context), title: body.title, userID: try context.requireUserID()))
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await store.deleteConversation(id: try Self.id(context), userID: try context.requireUserID())
        return Response(status: .noContent)
    }

    static func id(_ context: APIRequestContext) throws -> Int64 { try context.pathID(of: "conversation") }

    static func limit(_ request: Request, default fallback: Int, max: Int) throws(TodoError) -> Int {
        guard let raw = request.uri.queryParameters.get("limit") else { return fallback }
        guard let limit = Int(raw), (1...max).contains(limit) else {
            throw .validation(field: "limit", message: "limit must be 1-\(max)")
        }
        return limit
    }
}
