import Foundation
import TodoCore

/// The MCP server of the tool catalog, independent of the transport: one message in, at most one answer out.
/// It negotiates the protocol version, lists the tools and runs them, always as the user the transport
/// authenticated, whatever the arguments say.
public struct TodoToolServer: Sendable {
    let catalog: ToolCatalog
    let tools: JSONValue

    /// Every protocol version this server speaks, newest first.
    public static let supportedVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]

    public init(catalog: ToolCatalog) {
        self.catalog = catalog
        self.tools = .array(catalog.definitions.map { definition in
            var annotations: [String: JSONValue] = ["readOnlyHint": .bool(definition.readOnly), "openWorldHint": false]
            if !definition.readOnly { annotations["destructiveHint"] = .bool(definition.destructive) }
            return [
                "name": .string(definition.name), "description": .string(definition.description),
                "inputSchema": definition.inputSchema, "annotations": .object(annotations),
            ]
        })
    }

    static let instructions = """
        Tools for the signed-in user's todo list. Call list_tasks to find a task's id before changing it; \
        never guess ids. Dates are ISO 8601 with a time zone. delete_task needs confirm: true, sent only after the \
        user agreed; restore_task undoes a delete for 7 days.
        """

    /// The answer to a request, or nil for a notification or a response (which get none).
    public func answer(_ message: JSONRPCMessage, userID: String) async -> JSONValue? {
        guard case .request(let id, let method) = message.kind else { return nil }
        switch method {
        case "initialize":
            let requested = message.params?["protocolVersion"]?.stringValue ?? ""
            let version = Self.supportedVersions.contains(requested) ? requested : Self.supportedVersions[0]
            return JSONRPCMessage.result([
                "protocolVersion": .string(version),
                "capabilities": ["tools": ["listChanged": false]],
                "serverInfo": ["name": "todo-chatbot", "title": "Todo chatbot", "version": .string(TodoVersion.current)],
                "instructions": .string(Self.instructions),
            ], id: id)
        case "ping":
            return JSONRPCMessage.result([:], id: id)
        case "tools/list":
            return JSONRPCMessage.result(["tools": tools], id: id)
        case "tools/call":
            let name = message.params?["name"]?.stringValue ?? ""
            // The spec makes an unknown tool a protocol error; everything else is a result the model can read.
            guard catalog.has(name) else {
                return JSONRPCMessage.error(.invalidParams, "Unknown tool '\(name)'. Call tools/list to see the tools.", id: id)
            }
            let arguments = message.params?["arguments"]
            let result = if let held = await unconfirmedDelete(name, arguments, userID: userID) {
                held
            } else {
                await catalog.call(name, arguments: arguments, userID: userID)
            }
            var body: [String: JSONValue] = [
                "content": [["type": "text", "text": .string(result.text)]], "isError": .bool(result.isError),
            ]
            if !result.isError, case .object = result.content { body["structuredContent"] = result.content }
            return JSONRPCMessage.result(.object(body), id: id)
        default:
            return JSONRPCMessage.error(.methodNotFound, "Method not found: \(method)", id: id)
        }
    }

    /// A delete without `confirm: true` is not run: the client is told what to confirm, in words a model relays to
    /// its user. A task the user does not have is not described; the call runs and answers "no task".
    func unconfirmedDelete(_ name: String, _ arguments: JSONValue?, userID: String) async -> ToolResult? {
        guard name == "delete_task", arguments?["confirm"] != .bool(true),
              let id = try? ToolArguments(arguments).requiredInteger("task_id"),
              let title = await catalog.title(ofTask: id, userID: userID)
        else { return nil }
        return .failure(
            "Not deleted: deleting task \(id) “\(title)” needs the user's confirmation. Ask them, and once they agree call "
                + "delete_task again with {\"task_id\": \(id), \"confirm\": true}. A deleted task can be restored with restore_task for 7 days."
        )
    }
}
