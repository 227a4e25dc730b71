import HTTPTypes
import Hummingbird

extension Request {
    /// Decodes a JSON body: a body that is not declared `application/json` is 415, one over 64 KiB is 413 and
    /// malformed JSON is 400, each with the API's error shape.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: APIRequestContext) async throws -> T {
        let contentType = headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") || contentType.hasPrefix("application/") && contentType.contains("+json") else {
            throw HTTPError(.unsupportedMediaType, message: "Send a JSON body with Content-Type: application/json.")
        }
        return try await decode(as: type, context: context)
    }

    /// Like `decodeJSON`, for a body that may be left out: no body at all is `empty`.
    mutating func decodeOptionalJSON<T: Decodable>(_ type: T.Type, context: APIRequestContext, empty: T) async throws -> T {
        guard try await collectBody(upTo: 64 * 1024).readableBytes > 0 else { return empty }
        return try await decodeJSON(type, context: context)
    }
}
