import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import TodoCore

/// Forwards `/api/*` to serve-api: the request body is read whole first (at most 64 KiB), the answer streams back, so
/// a chat's server-sent events pass through one by one. Only plain `/api/…` targets are forwarded (`ProxyPath`),
/// hop-by-hop headers are dropped, `X-Forwarded-For`/`-Proto` set, and a down API is a quick 502, never a hang.
public struct APIProxy: Sendable {
    let target: String
    let client: HTTPClient
    /// How long a chat request may wait for the API's answer to begin: the agent's own deadline and some room.
    let chatDeadline: Duration

    /// Request bodies are small JSON documents; the API refuses larger ones too.
    static let maxBodySize = 64 * 1024
    /// How long any other request may wait for the API's answer to begin.
    static let deadline = Duration.seconds(30)

    public init(target: String, client: HTTPClient, agentTimeout: Duration = .seconds(60)) {
        self.target = target.hasSuffix("/") ? String(target.dropLast()) : target
        self.client = client
        chatDeadline = max(agentTimeout + .seconds(15), Self.deadline)
    }

    /// Headers that belong to one connection, not to the message.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "trailers", "transfer-encoding", "upgrade", "host", "content-length",
    ]

    /// The hop-by-hop set plus every header the `Connection` header names, which belong to this hop too.
    static func droppedHeaders(_ headers: HTTPFields) -> Set<String> {
        var dropped = hopByHop
        for value in headers[values: .connection] {
            for name in value.split(separator: ",") { dropped.insert(name.trimmingCharacters(in: .whitespaces).lowercased()) }
        }
        return dropped
    }

    public func register(on router: Router<WebRequestContext>) {
        router.on("/api/**", method: .get) { try await self.forward($0, $1) }
        router.on("/api/**", method: .post) { try await self.forward($0, $1) }
        router.on("/api/**", method: .put) { try await self.forward($0, $1) }
        router.on("/api/**", method: .patch) { try await self.forward($0, $1) }
        router.on("/api/**", method: .delete) { try await self.forward($0, $1) }
    }

    func forward(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        // The raw request target (HTTP/2's :path), not a parsed form of it: what is checked is what is sent.
        guard let path = request.head.path.flatMap(ProxyPath.forwardable) else {
            context.logger.notice("proxy refused a request target")
            return Self.error(.badRequest, "BAD_REQUEST", "This request target cannot be forwarded.")
        }
        var outgoing = HTTPClientRequest(url: target + path)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        let dropped = Self.droppedHeaders(request.headers)
        for field in request.headers where !dropped.contains(field.name.canonicalName) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        // The API checks a cookie's Origin against the host the browser used, so that host travels on.
        if let host = request.head.authority { outgoing.headers.replaceOrAdd(name: "Host", value: host) }
        let peer = context.remoteAddress ?? "unknown"
        let forwarded = request.headers[Self.forwardedFor].map { "\($0), \(peer)" } ?? peer
        outgoing.headers.replaceOrAdd(name: "X-Forwarded-For", value: forwarded)
        outgoing.headers.replaceOrAdd(name: "X-Forwarded-Proto", value: request.headers[Self.forwardedProto] ?? "http")
        if request.method != .get, request.method != .head {
            // Read whole before forwarding: the upstream request is never in flight while a slow client is still
            // uploading, so a stalled upload costs no API connection and cannot race the answer.
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.maxBodySize)
            } catch is NIOTooManyBytesError {
                return Self.error(.contentTooLarge, "PAYLOAD_TOO_LARGE", "The request body is larger than 64 KiB.")
            }
            outgoing.body = .bytes(body)
        }
        let isChat = path.hasSuffix("/chat") || path.contains("/chat?")
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outgoing, timeout: .init(isChat ? chatDeadline : Self.deadline))
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
        error(.badGateway, "BAD_GATEWAY", "The API is not reachable. Try again in a moment.")
    }

    /// An error in the API's JSON shape, so the UI shows proxy errors like any other.
    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        let body: JSONValue = ["error": ["code": .string(code), "message": .string(message)]]
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
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
