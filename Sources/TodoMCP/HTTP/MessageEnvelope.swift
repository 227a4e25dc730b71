import Foundation
import TodoCore

/// What routing needs of a JSON-RPC message: a request has a method and an id, a response an id and no method.
struct MessageEnvelope: Decodable {
    let id: JSONValue?
    let method: String?

    static func of(_ data: Data) -> MessageEnvelope? {
        try? JSONDecoder().decode(MessageEnvelope.self, from: data)
    }

    /// The id of a request as JSON text, the key its response is matched by.
    var requestKey: String? { method != nil ? id?.text : nil }
    /// The id of a response as JSON text.
    var responseKey: String? { method == nil ? id?.text : nil }
}
