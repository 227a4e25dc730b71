import ArgumentParser
import Foundation
import Logging
import TodoCore
import TodoWeb

/// `serve-web`: the chat UI, proxying `/api` to serve-api.
struct ServeWeb: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-web",
        abstract: "Run the chat web UI and proxy /api to serve-api.",
        discussion: """
            Serves the UI (HTML, CSS and JavaScript bundled in the binary, nothing loaded from elsewhere) on PORT \
            (default 3000) and forwards every /api request to API_URL, streaming both ways, so the browser talks to \
            one origin. /api/health is the web role's own liveness; /api/health?deep=1 also asks the API. The \
            container health check is `todo-chatbot healthcheck --role web`.

            Example:
              API_URL=http://api:8000 todo-chatbot serve-web --host 0.0.0.0 --port 3000
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup(title: "Server") var server: ServerOptions
    @OptionGroup(title: "Web") var web: WebOptions

    func run() async throws {
        var settings = try Startup.settings(global, flags: server.flags.merging(web.flags) { $1 })
        settings.role = .web
        let logger = Startup.logger(settings, label: "serve-web")
        let certificate = try ServerCertificate(settings)
        let catalog = try BundledUI.catalog()
        let app = buildWebApplication(settings.webConfiguration, catalog: catalog, server: try ServerTLS.builder(certificate, settings: settings), maxConnections: settings.maxConnections, logger: logger)
        logger.info(
            "serve-web starting",
            metadata: ["address": "\(settings.host):\(settings.effectivePort)", "api": "\(settings.apiURL)", "version": "\(TodoVersion.current)"]
        )
        do {
            let reload = HangupReload(
                load: Startup.loader(global, flags: server.flags.merging(web.flags) { $1 }), initial: settings,
                certificate: certificate, logger: logger
            )
            try await ServerRunner.run(app, settings: settings, reload: reload, logger: logger)
        } catch {
            throw Startup.fail(ServeAPI.describeListenFailure(error, settings) ?? Startup.describe(error))
        }
    }
}
