import ArgumentParser
import Foundation
import Logging
import TodoAuth
import TodoCore
import TodoMCP
import TodoStorage

/// `mcp`: the MCP server over standard input and output, for desktop clients that start it themselves.
struct MCPServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the task tools over MCP on stdin/stdout, acting as one user.",
        discussion: """
            Desktop MCP clients (Claude Desktop, Cursor, the OpenAI Agents SDK's MCPServerStdio) start this command \
            and talk JSON-RPC over its standard input and output. Every tool call acts as the user named by --user \
            (or MCP_USER), on the configured database. Logs go to standard error only. The server stops when the \
            client closes standard input.

            Remote clients use the Streamable HTTP endpoint /mcp of serve-api instead, with a bearer token.

            Example (Claude Desktop, claude_desktop_config.json):
              {"mcpServers": {"todo": {"command": "todo-chatbot", "args": ["mcp", "--user", "me@example.com"],
                "env": {"DATABASE_URL": "postgresql://user:pass@ep-x.neon.tech/neondb?sslmode=require"}}}}
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup(title: "Database") var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("Email of the user the tools act as. [env: MCP_USER]", valueName: "email"))
    var user: String?

    @Option(name: .long, help: "Deadline of one tool call, e.g. 15s. [env: TOOL_TIMEOUT] (default: 15s)")
    var toolTimeout: String?

    func run() async throws {
        var flags = database.flags
        flags[SettingKey.mcpUser.rawValue] = user
        flags[SettingKey.toolTimeout.rawValue] = toolTimeout
        let settings = try Startup.settings(global, flags: flags)
        guard let email = settings.mcpUser else {
            throw Startup.fail("configuration error: MCP_USER: required: name the user with --user EMAIL or MCP_USER", code: 2)
        }
        let logger = Startup.logger(settings, label: "mcp")
        do {
            try await DatabaseOpener.withDatabase(settings, logger: logger) { database in
                let store = SQLStore(database: database)
                guard let user = try await store.credential(email: try AccountRules.email(email))?.user else {
                    throw TodoError.notFound(resource: "user", id: email)
                }
                logger.info("mcp serving on stdio", metadata: ["user_id": "\(user.id)", "database": "\(database.redactedLocation)"])
                let tools = TodoToolServer(catalog: ToolCatalog(store: store, timeout: settings.toolTimeout))
                await tools.serveStdio(userID: user.id, logger: logger)
            }
        } catch TodoError.notFound(resource: "user", let id) {
            throw Startup.fail("no account with the email \(id); sign up first (POST /api/auth/sign-up/email)")
        } catch {
            throw Startup.failure("mcp failed", error)
        }
    }
}
