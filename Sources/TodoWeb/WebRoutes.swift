import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TodoCore

/// The UI's routes: the page at `/`, hashed assets under `/assets/`, and `/api/health` of the web role.
public struct WebRoutes: Sendable {
    let catalog: AssetCatalog
    /// The API's `/health` document, for `/api/health?deep=1`; nil when the API does not answer.
    let apiHealth: @Sendable () async -> JSONValue?

    public init(catalog: AssetCatalog, apiHealth: @escaping @Sendable () async -> JSONValue?) {
        self.catalog = catalog
        self.apiHealth = apiHealth
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/") { request, _ in self.page(request) }
        router.get("/index.html") { request, _ in self.page(request) }
        // Where a password-reset link lands (with its token in the query); the app reads it from there.
        router.get("/reset-password") { request, _ in self.page(request) }
        router.get("/assets/:name") { request, context in
            guard let name = context.parameters.get("name"), let asset = self.catalog.assets[name] else {
                return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "Not found\n")))
            }
            return Self.serve(asset, request, cache: "public, max-age=31536000, immutable")
        }
        router.get("/api/health") { request, _ in await self.health(request) }
    }

    func page(_ request: Request) -> Response {
        Self.serve(catalog.page, request, cache: "no-cache")
    }

    static func serve(_ asset: AssetCatalog.Asset, _ request: Request, cache: String) -> Response {
        var headers: HTTPFields = [.contentType: asset.contentType, .cacheControl: cache, .eTag: asset.etag, .vary: "Accept-Encoding"]
        if request.headers[.ifNoneMatch] == asset.etag {
            return Response(status: .notModified, headers: headers)
        }
        if let gzipped = asset.gzipped, request.headers[.acceptEncoding]?.contains("gzip") == true {
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: gzipped))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
    }

    /// Liveness of the web role; `?deep=1` also asks the API, and answers 503 when it does not respond.
    func health(_ request: Request) async -> Response {
        var body: [String: JSONValue] = ["status": "ok", "role": "web", "version": .string(TodoVersion.current)]
        var status = HTTPResponse.Status.ok
        if request.uri.queryParameters.get("deep") == "1" {
            if let api = await apiHealth() {
                body["api"] = api
            } else {
                body["status"] = "degraded"
                body["api"] = ["status": "unreachable"]
                status = .serviceUnavailable
            }
        }
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(body).text))
        )
    }
}
