import ArgumentParser
import Foundation
import Hummingbird
import Logging
import TodoAPI
import TodoAgent
import TodoAuth
import TodoCore
import TodoStorage
import TodoWeb

/// `serve`: the API and the web UI in one process on one port, for local use.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the API and the web UI together on one port (default 3000).",
        discussion: """
            The quickest way to use the product: open http://127.0.0.1:3000, sign up and chat. By default it keeps \
            its data in ./data/todo.sqlite and answers with the offline agent, so it needs no server and no key; \
            set OPENAI_API_KEY (or OPENAI_BASE_URL) for a model and DATABASE_URL for PostgreSQL. Every option of \
            serve-api applies.

            Example:
              todo-chatbot serve
              OPENAI_API_KEY=sk-… todo-chatbot serve --port 8080
            """
    )

    @OptionGroup var options: APIRoleOptions

    func run() async throws {
        let settings = try options.settings(role: .serve)
        let logger = Startup.logger(settings, label: "serve")
        let certificate = try ServerCertificate(settings)
        let catalog = try BundledUI.catalog()
        let dependencies = try await ServeAPI.dependencies(settings, logger: logger)
        let apiHealth: JSONValue = [
            "status": "ok", "role": "api", "version": .string(TodoVersion.current), "agent": .string(dependencies.chat.agent.label),
        ]
        let app = buildAPIApplication(dependencies, server: try ServerTLS.builder(certificate, settings: settings), maxConnections: settings.maxConnections) { router in
            router.add(middleware: SecurityHeadersMiddleware())
            WebRoutes(catalog: catalog, apiHealth: { apiHealth }).register(on: router)
        }
        logger.info(
            "serve starting",
            metadata: [
                "url": "\(settings.servesTLS ? "https" : "http")://\(settings.host == "0.0.0.0" ? "127.0.0.1" : settings.host):\(settings.effectivePort)",
                "database": "\(dependencies.database.redactedLocation)", "agent": "\(dependencies.chat.agent.label)",
            ]
        )
        do {
            let reload = options.reload(settings, certificate: certificate, dependencies: dependencies, logger: logger)
            try await ServerRunner.run(app, settings: settings, reload: reload, logger: logger)
        } catch {
            throw Startup.fail(ServeAPI.describeListenFailure(error, settings) ?? Startup.describe(error))
        }
    }
}
