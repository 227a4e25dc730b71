import Hummingbird
import Logging
import TodoCore
import TodoStorage

/// Everything serve-api is built from; tests build the same app with their own database.
public struct APIDependencies: Sendable {
    public var settings: Settings
    public var database: any SQLDatabase
    public var store: SQLStore
    public var metrics: APIMetrics
    public var logger: Logger

    public init(settings: Settings, database: any SQLDatabase, metrics: APIMetrics = APIMetrics(), logger: Logger) {
        self.settings = settings
        self.database = database
        self.store = SQLStore(database: database)
        self.metrics = metrics
        self.logger = logger
    }
}

/// Builds serve-api's router: middleware in order (request id, access log, metrics, errors), then routes.
public func buildAPIRouter(_ dependencies: APIDependencies) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: MetricsMiddleware(metrics: dependencies.metrics))
    router.add(middleware: ErrorMiddleware())
    OperationsController(database: dependencies.database, metrics: dependencies.metrics, role: dependencies.settings.role)
        .register(on: router)
    return router
}

/// Builds the serve-api application; the database runs as one of its services and shuts down after the server.
public func buildAPIApplication(_ dependencies: APIDependencies) -> Application<RouterResponder<APIRequestContext>> {
    var app = Application(
        router: buildAPIRouter(dependencies),
        configuration: .init(
            address: .hostname(dependencies.settings.host, port: dependencies.settings.effectivePort), serverName: nil
        ),
        logger: dependencies.logger
    )
    app.addServices(dependencies.database)
    return app
}
