import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TodoCore

/// Encodes response bodies; one shared encoder configuration for the whole API.
enum JSONBody {
    static func encode(_ value: some Encodable) -> ByteBuffer {
        if let writable = value as? any JSONWritable { return ByteBuffer(bytes: WireJSON.bytes(writable)) }
        return ByteBuffer(bytes: WireJSON.encode(value))
    }
}

extension Response {
    /// A JSON response that no cache keeps: the one way every route answers with a body.
    /// `headers` are added as they are (a session grant's cookies, for example).
    static func json(_ status: HTTPResponse.Status = .ok, _ value: some Encodable, headers extra: [HTTPField] = []) -> Response {
        json(status, body: JSONBody.encode(value), headers: extra)
    }

    /// `json(_:_:headers:)` with a body encoded before (a cached task page).
    static func json(_ status: HTTPResponse.Status = .ok, body: ByteBuffer, headers extra: [HTTPField] = []) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if status == .serviceUnavailable { headers[.retryAfter] = "5" }
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}
