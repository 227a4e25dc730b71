import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import TodoCore

/// Runs an application until SIGTERM or SIGINT, then lets in-flight requests finish within the shutdown timeout.
enum ServerRunner {
    static func run(_ app: some ApplicationProtocol, settings: Settings, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        )
        configuration.maximumGracefulShutdownDuration = settings.shutdownTimeout
        configuration.maximumCancellationDuration = .seconds(2)
        try await ServiceGroup(configuration: configuration).run()
        logger.info("stopped")
    }
}
