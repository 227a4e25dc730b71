import ArgumentParser
import Hummingbird
import Logging
import Foundation
import NIOCore
import TodoAPI
import TodoAuth
import TodoCore
import TodoStorage

/// `serve-api`: the HTTP API with its operations endpoints.
struct ServeAPI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-api",
        abstract: "Run the HTTP API: accounts, tasks, chat, MCP over HTTP (/mcp) and the operations endpoints.",
        discussion: """
            Serves /api/auth, /api/tasks, /api/chat, /api/conversations, the MCP Streamable HTTP endpoint /mcp (bearer token), /health (liveness), \
            /ready (database readiness), /metrics (Prometheus) and /openapi.json on PORT (default 8000). \
            The embedded SQLite store migrates itself; PostgreSQL is migrated by `todo-chatbot migrate`, or at start \
            with MIGRATE_ON_START=1. SIGTERM and SIGINT stop accepting connections and let in-flight requests finish.

            Example:
              DATABASE_URL='postgresql://user:pass@ep-x.neon.tech/neondb?sslmode=require' \\
              BETTER_AUTH_SECRET="$(openssl rand -base64 32)" todo-chatbot serve-api --host 0.0.0.0 --port 8000
            """
    )

    @OptionGroup var options: APIRoleOptions

    func run() async throws {
        let settings = try options.settings(role: .api)
        let logger = Startup.logger(settings, label: "serve-api")
        let certificate = try ServerCertificate(settings)
        let dependencies = try await Self.dependencies(settings, logger: logger)
        let database = dependencies.database
        let app = buildAPIApplication(dependencies, server: try ServerTLS.builder(certificate, settings: settings), maxConnections: settings.maxConnections)
        logger.info(
            "serve-api starting",
            metadata: [
                "address": "\(settings.host):\(settings.effectivePort)", "database": "\(database.redactedLocation)",
                "version": "\(TodoVersion.current)",
            ]
        )
        do {
            let reload = options.reload(settings, certificate: certificate, dependencies: dependencies, logger: logger)
            try await ServerRunner.run(app, settings: settings, reload: reload, logger: logger)
        } catch {
            throw Startup.fail(Self.describeListenFailure(error, settings) ?? Startup.describe(error))
        }
    }

    /// The secret, the database and everything the API is built from; failures stop the command with one line.
    static func dependencies(_ settings: Settings, logger: Logger) async throws -> APIDependencies {
        let secrets = try AuthSecrets.resolve(settings)
        let database = try await DatabaseOpener.open(settings, logger: logger)
        return APIDependencies(configuration: settings.apiConfiguration, database: database, authSecrets: secrets, logger: logger)
    }

    /// Names the address when the listener cannot be set up, the most common reason a server fails at start.
    static func describeListenFailure(_ error: any Error, _ settings: Settings) -> String? {
        let address = "\(settings.host):\(settings.effectivePort)"
        if let error = error as? IOError, error.errnoCode == EADDRINUSE {
            return "cannot listen on \(address): the port is already in use (choose another with PORT or --port)"
        }
        if let error = error as? IOError, error.errnoCode == EADDRNOTAVAIL || error.errnoCode == EACCES {
            return "cannot listen on \(address): \(error.errnoCode == EACCES ? "permission denied" : "the address is not on this machine")"
        }
        if error is SocketAddressError || error is SocketAddressError.UnknownHost {
            return "cannot listen on \(address): unknown host (use an IP address such as 0.0.0.0 or 127.0.0.1)"
        }
        return nil
    }
}
