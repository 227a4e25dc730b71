import ArgumentParser
import TodoCore

/// The root command only lists the subcommands; each lives in its own file under Commands/.
@main
struct TodoChatbot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "todo-chatbot",
        abstract: "A Todo AI chatbot: one binary for the API, the web UI, chat, the MCP server, migrations and container health checks.",
        discussion: """
            Configuration is read from command-line flags first, then environment variables, then a .env file,
            then defaults. Run `todo-chatbot help <subcommand>` for each command's options and an example.
            """,
        version: TodoVersion.current,
        subcommands: [Serve.self, ServeAPI.self, ServeWeb.self, Chat.self, MCPServe.self, Migrate.self, Keys.self, Healthcheck.self]
    )
}
