import Foundation
import Logging
import MCP
import TodoCore

/// Builds the MCP server of one client connection: the catalog's tools, always run as the user the connection
/// authenticated, whatever the arguments say.
public struct TodoToolServer: Sendable {
    let catalog: ToolCatalog
    let tools: [Tool]

    public init(catalog: ToolCatalog) {
        self.catalog = catalog
        self.tools = catalog.definitions.map { definition in
            Tool(
                name: definition.name, description: definition.description, inputSchema: definition.inputSchema.mcpValue,
                annotations: .init(
                    readOnlyHint: definition.readOnly, destructiveHint: definition.readOnly ? nil : definition.destructive,
                    openWorldHint: false
                )
            )
        }
    }

    static let instructions = """
        Tools for the signed-in user's todo list. Call list_tasks to find a task's id before changing it; \
        never guess ids. Dates are ISO 8601 with a time zone.
        """

    /// A server with the tool handlers registered, not yet started on a transport.
    public func makeServer(userID: String) async -> Server {
        let server = Server(
            name: "todo-chatbot", version: TodoVersion.current, title: "Todo chatbot", instructions: Self.instructions,
            capabilities: .init(tools: .init(listChanged: false))
        )
        let (catalog, tools) = (catalog, tools)
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
        await server.withMethodHandler(CallTool.self) { params in
            // The spec makes an unknown tool a protocol error; everything else is a result the model can read.
            guard catalog.has(params.name) else {
                throw MCPError.invalidParams("Unknown tool '\(params.name)'. Call tools/list to see the tools.")
            }
            let arguments = params.arguments.map { JSONValue.object($0.mapValues(JSONValue.init)) }
            let result = await catalog.call(params.name, arguments: arguments, userID: userID)
            let structured: Value? = if !result.isError, case .object = result.content { result.content.mcpValue } else { nil }
            return CallTool.Result(content: [.text(result.text)], structuredContent: structured, isError: result.isError)
        }
        return server
    }
}
