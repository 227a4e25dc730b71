import Foundation
import HTTPTypes
import Hummingbird
import TodoCore

/// The request context of serve-api: Hummingbird's core storage plus our request id.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The `X-Request-Id` of this request, accepted from the client or generated.
    public var requestID = ""
    /// The peer's IP address, for the session record.
    public let remoteAddress: String?
    /// The signed-in user, set by `AuthenticationMiddleware` on protected routes.
    public var user: User?

    /// Request bodies are JSON documents of a few fields; anything larger is refused with 413.
    public var maxUploadSize: Int { 64 * 1024 }

    /// The signed-in user's id; protected routes only run after `AuthenticationMiddleware` set it.
    func requireUserID() throws -> String {
        guard let user else { throw TodoError.unauthorized(message: "Sign in first.") }
        return user.id
    }

    /// The `:id` path parameter: a positive whole number, or 422 naming the resource.
    func pathID(of resource: String) throws -> Int64 {
        guard let raw = parameters.get("id"), let id = Int64(raw), id > 0 else {
            throw TodoError.validation(field: "id", message: "\(resource) id must be a positive whole number")
        }
        return id
    }

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
