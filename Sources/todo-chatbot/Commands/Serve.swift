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

    @OptionGroup var global: GlobalOptions
    @OptionGroup(title: "Server") var server: ServerOptions
    @OptionGroup(title: "Database") var database: DatabaseOptions
    @OptionGroup(title: "Authentication") var auth: AuthOptions
    @OptionGroup(title: "Agent") var agent: AgentOptions
    @OptionGroup(title: "Tools and MCP") var tools: ToolOptions

    func run() async throws {
        var settings = try Startup.settings(global, flags: server.flags.merging(database.flags) { $1 }
            .merging(auth.flags) { $1 }.merging(agent.flags) { $1 }.merging(tools.flags) { $1 })
        settings.role = .serve
        let logger = Startup.logger(settings, label: "serve")
        let catalog: AssetCatalog
        do {
            catalog = try AssetCatalog.bundled()
        } catch {
            throw Startup.fail("cannot load the web UI: \(Startup.describe(error))")
        }
        let dependencies = try await ServeAPI.dependencies(settings, logger: logger)
        let apiHealth: JSONValue = [
            "status": "ok", "role": "api", "version": .string(TodoVersion.current), "agent": .string(dependencies.chat.agent.label),
        ]
        let app = buildAPIApplication(dependencies, server: try ServerTLS.builder(settings)) { router in
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
            try await ServerRunner.run(app, settings: settings, logger: logger)
        } catch {
            throw Startup.fail(ServeAPI.describeListenFailure(error, settings) ?? Startup.describe(error))
        }
    }
}
