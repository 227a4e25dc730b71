import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TodoCore
import TodoStorage

/// `/health` (liveness), `/ready` (database readiness) and `/metrics` (Prometheus text).
struct OperationsController {
    let database: any SQLDatabase
    let metrics: APIMetrics
    /// The role the process plays (`api` or `serve`), as /health reports it.
    let role: String
    /// Which agent answers chats: `offline` or `openai:<model>`.
    let agent: String

    struct Health: Encodable {
        let status: String
        let role: String
        let version: String
        let agent: String
    }

    struct Readiness: Encodable {
        let status: String
        let database: String
        let reason: String?
    }

    func register(on router: Router<APIRequestContext>) {
        router.get("/health", use: health)
        router.get("/ready", use: ready)
        router.get("/metrics", use: scrape)
        router.get("/openapi.json", use: openAPI)
    }

    /// Liveness touches no dependency: a slow database must never get the container restarted.
    @Sendable func health(_ request: Request, context: APIRequestContext) async throws -> Response {
        .json(.ok, Health(status: "ok", role: role, version: TodoVersion.current, agent: agent))
    }

    @Sendable func ready(_ request: Request, context: APIRequestContext) async throws -> Response {
        do {
            try await database.ping()
            return .json(.ok, Readiness(status: "ready", database: "ok", reason: nil))
        } catch {
            let reason = (error as? TodoError)?.message ?? "database check failed"
            context.logger.warning("not ready", metadata: ["reason": .string(reason)])
            return .json(.serviceUnavailable, Readiness(status: "unavailable", database: "unreachable", reason: reason))
        }
    }

    @Sendable func openAPI(_ request: Request, context: APIRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json))
        )
    }

    @Sendable func scrape(_ request: Request, context: APIRequestContext) async throws -> Response {
        let text = metrics.render(pool: database.poolUsage)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: text))
        )
    }
}
