import AsyncHTTPClient
import Hummingbird
import HummingbirdCore
import Logging
import NIOSSL
import ServiceLifecycle
import TodoCore
import TodoHTTP

/// Builds serve-web: the UI and `/api/health` of its own, everything else under `/api` proxied to `API_URL`.
public func buildWebApplication(
    _ web: WebConfiguration, catalog: AssetCatalog, server: HTTPServerBuilder = .http1(), maxConnections: Int? = nil, logger: Logger
) -> some ApplicationProtocol {
    var configuration = HTTPClient.Configuration()
    // An https:// API is verified against the system's roots, plus API_CA_FILE for a private CA; never skipped.
    var tls = TLSConfiguration.makeClientConfiguration()
    if let caFile = web.apiCAFile {
        tls.additionalTrustRoots = [.file(caFile)]
    }
    configuration.tlsConfiguration = tls
    // Reads may wait for a chat's next event; the API sends a heartbeat well within this.
    configuration.timeout = .init(connect: .seconds(5), read: .seconds(120))
    configuration.redirectConfiguration = .disallow
    // A refused connection means the API is down: answer 502 now instead of retrying until the connect timeout.
    configuration.connectionPool.retryConnectionEstablishment = false
    // Chat streams hold a connection for a whole turn; the pool must be large enough that they never starve the
    // short requests (PROXY_CONNECTIONS).
    configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = web.proxyConnections
    let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    let proxy = APIProxy(target: web.apiURL, client: client, agentTimeout: web.agentTimeout)
    let router = Router(context: WebRequestContext.self)
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: SecurityHeadersMiddleware())
    if web.servesTLS { router.add(middleware: StrictTransportSecurityMiddleware()) }
    WebRoutes(catalog: catalog, apiHealth: { await proxy.apiHealth() }).register(on: router)
    proxy.register(on: router)
    var app = Application(
        responder: HeadResponder(router.buildResponder()), server: server, configuration: .init(
            address: .hostname(web.host, port: web.port), serverName: nil,
            availableConnectionsDelegate: maxConnections.map { MaximumAvailableConnections($0, logger: logger) }
        ),
        logger: logger
    )
    app.addServices(HTTPClientService(client: client))
    return app
}

/// Shuts an HTTP client down with the application.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
