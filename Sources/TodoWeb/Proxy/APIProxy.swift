import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import TodoCore

/// Forwards `/api/*` to serve-api, streaming both ways: a chat's server-sent events pass through one by one.
/// Hop-by-hop headers are dropped, `X-Forwarded-For`/`-Proto` set, and a down API is a quick 502, never a hang.
public struct APIProxy: Sendable {
    let target: String
    let client: HTTPClient

    public init(target: String, client: HTTPClient) {
        self.target = target.hasSuffix("/") ? String(target.dropLast()) : target
        self.client = client
    }

    /// Headers that belong to one connection, not to the message.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers",
        "transfer-encoding", "upgrade", "host", "content-length",
    ]

    public func register(on router: Router<WebRequestContext>) {
        router.on("/api/**", method: .get) { try await self.forward($0, $1) }
        router.on("/api/**", method: .post) { try await self.forward($0, $1) }
        router.on("/api/**", method: .put) { try await self.forward($0, $1) }
        router.on("/api/**", method: .patch) { try await self.forward($0, $1) }
        router.on("/api/**", method: .delete) { try await self.forward($0, $1) }
    }

    func forward(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        var outgoing = HTTPClientRequest(url: target + request.uri.description)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !Self.hopByHop.contains(field.name.canonicalName) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        // The API checks a cookie's Origin against the host the browser used, so that host travels on.
        if let host = request.head.authority { outgoing.headers.replaceOrAdd(name: "Host", value: host) }
        let peer = context.remoteAddress ?? "unknown"
        let forwarded = request.headers[Self.forwardedFor].map { "\($0), \(peer)" } ?? peer
        outgoing.headers.replaceOrAdd(name: "X-Forwarded-For", value: forwarded)
        outgoing.headers.replaceOrAdd(name: "X-Forwarded-Proto", value: request.headers[Self.forwardedProto] ?? "http")
        if request.method != .get, request.method != .head {
            let length = request.headers[.contentLength].flatMap(Int.init)
            outgoing.body = .stream(request.body, length: length.map { .known(Int64($0)) } ?? .unknown)
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outgoing, timeout: .seconds(30))
        } catch {
            context.logger.warning("API unreachable", metadata: ["target": "\(target)", "error": "\(error)"])
            return Self.badGateway()
        }
        var headers = HTTPFields()
        for header in response.headers where !Self.hopByHop.contains(header.name.lowercased()) {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        if let length = response.headers.first(name: "content-length") { headers[.contentLength] = length }
        return Response(
            status: .init(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase), headers: headers,
            body: ResponseBody(asyncSequence: response.body)
        )
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    static func badGateway() -> Response {
        let body: JSONValue = ["error": ["code": "BAD_GATEWAY", "message": "The API is not reachable. Try again in a moment."]]
        return Response(
            status: .badGateway, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body.text))
        )
    }

    /// The API's `/health` document, or nil when it does not answer within two seconds.
    public func apiHealth() async -> JSONValue? {
        do {
            let response = try await client.execute(HTTPClientRequest(url: target + "/health"), timeout: .seconds(2))
            guard response.status == .ok else { return nil }
            return JSONValue.parse(String(buffer: try await response.body.collect(upTo: 64 << 10)))
        } catch {
            return nil
        }
    }
}
