import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import TodoCore

/// Runs an application until SIGTERM or SIGINT, then lets in-flight requests and chat turns finish within
/// `Settings.shutdownBound`; SIGHUP reloads certificates and secrets meanwhile.
enum ServerRunner {
    static func run(_ app: some ApplicationProtocol, settings: Settings, reload: HangupReload, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: app), .init(service: reload)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        )
        configuration.maximumGracefulShutdownDuration = settings.shutdownBound
        configuration.maximumCancellationDuration = .seconds(2)
        try await ServiceGroup(configuration: configuration).run()
        logger.info("stopped")
    }
}
