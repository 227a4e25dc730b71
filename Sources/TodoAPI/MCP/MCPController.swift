import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import TodoCore
import TodoMCP

/// `/mcp`: the Streamable HTTP endpoint of the MCP server, for bearer-authenticated clients only.
struct MCPController {
    let endpoint: MCPHTTPEndpoint
    let origins: MCPOriginMiddleware

    func register(on router: Router<APIRequestContext>, authentication: AuthenticationMiddleware) {
        let group = router.group("mcp").add(middleware: origins).add(middleware: authentication)
        group.post(use: handle)
        group.get(use: handle)
        group.delete(use: handle)
    }

    @Sendable func handle(_ request: Request, context: APIRequestContext) async throws -> Response {
        let userID = try context.requireUserID()
        var body = Data()
        if request.method == .post {
            body = Data(try await request.body.collect(upTo: context.maxUploadSize).readableBytesView)
        }
        let reply = await endpoint.handle(
            MCPHTTPRequest(
                method: request.method.rawValue, accept: request.headers[.accept], contentType: request.headers[.contentType],
                sessionID: request.headers[Self.sessionID], protocolVersion: request.headers[Self.protocolVersion], body: body
            ),
            userID: userID
        )
        return Self.response(reply)
    }

    static let sessionID = HTTPField.Name(MCPHeader.sessionID)!
    static let protocolVersion = HTTPField.Name(MCPHeader.protocolVersion)!

    static func response(_ reply: MCPHTTPReply) -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store"]
        for (name, value) in reply.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let status = HTTPResponse.Status(code: reply.status)
        switch reply.body {
        case .empty:
            return Response(status: status, headers: headers)
        case .json(let data):
            headers[.contentType] = "application/json"
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case .events(let stream):
            // An event stream would hold a graceful shutdown open forever; it ends when shutdown begins.
            return Response(status: status, headers: headers, body: ResponseBody { writer in
                try await withGracefulShutdownHandler {
                    for try await event in stream.events { try await writer.write(ByteBuffer(bytes: event)) }
                } onGracefulShutdown: {
                    stream.stop()
                }
                try await writer.finish(nil)
            })
        }
    }
}

/// Refuses `/mcp` requests whose `Origin` is not ours (DNS-rebinding protection): browsers always send one, other
/// clients usually none. Allowed are the public URL, `TRUSTED_ORIGINS` and loopback origins such as a local
/// MCP inspector.
struct MCPOriginMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let policy: OriginPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let claimed = request.headers[.origin] {
            let origin = WebOrigin.of(claimed)
            guard let origin, policy.trusts(origin) || Self.isLoopback(origin) else {
                return MCPController.response(.forbiddenOrigin)
            }
        }
        return try await next(request, context)
    }

    static func isLoopback(_ origin: String) -> Bool {
        guard let host = URLComponents(string: origin)?.host?.lowercased() else { return false }
        return host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host == "::1"
    }
}
