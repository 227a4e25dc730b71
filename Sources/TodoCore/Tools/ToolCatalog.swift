import Foundation

/// The tools of the product, defined once: the MCP server publishes them and the agent calls them in-process.
/// Every call runs for the authenticated user given by the caller; a call never throws, it returns an error result.
public struct ToolCatalog: Sendable {
    /// How long one call may take unless the caller says otherwise (`TOOL_TIMEOUT`).
    public static let defaultTimeout = Duration.seconds(15)

    let store: any TaskStore
    let tools: [String: TaskTool]
    let timeout: Duration

    public init(store: any TaskStore, timeout: Duration = ToolCatalog.defaultTimeout) {
        self.store = store
        self.tools = Dictionary(uniqueKeysWithValues: TaskTool.allCases.map { ($0.rawValue, $0) })
        self.timeout = timeout
    }

    /// Whether a tool of this name exists; transports answer an unknown name as a protocol error.
    public func has(_ name: String) -> Bool { tools[name] != nil }

    /// The definitions, in a stable order.
    public var definitions: [ToolDefinition] { TaskTool.allCases.map(\.definition) }

    /// Runs a tool as `userID`. Dates in the result are in `timeZone` with its offset when given (the agent's
    /// view), else UTC (MCP clients).
    public func call(_ name: String, arguments: JSONValue?, userID: String, timeZone: TimeZone? = nil) async -> ToolResult {
        guard let tool = tools[name] else {
            return .failure("Unknown tool '\(name)'. Available tools: \(TaskTool.allowedValues).")
        }
        do {
            let arguments = try ToolArguments(arguments)
            let store = store
            return .success(try await withDeadline(timeout, Self.toolName(name)) {
                try await tool.run(arguments, store: store, userID: userID, timeZone: timeZone)
            })
        } catch let error as ToolArgumentError {
            return .failure(error.message)
        } catch let error as TodoError {
            switch error {
            case .notFound(let resource, let id) where resource == "task":
                return .failure("No task \(id). Call list_tasks to see the ids.")
            case .notFound(let resource, let id) where resource == "deleted task":
                return .failure("No deleted task \(id) to restore: it was not deleted in the last 7 days.")
            case .deadlineExceeded(Self.toolName(name), timeout):
                return .failure("\(error.message). Try again shortly.")
            case .unavailable:
                return .failure("The task database is unavailable right now. Try again shortly.")
            default:
                return .failure(error.message)
            }
        } catch {
            return .failure("The tool failed unexpectedly. Try again shortly.")
        }
    }

    /// The title of one of the user's tasks, or nil when the user has no such task (or the store fails).
    public func title(ofTask id: Int64, userID: String) async -> String? {
        try? await store.task(id: id, userID: userID).title
    }

    /// How a tool is named in its deadline message.
    static func toolName(_ name: String) -> String { "The tool '\(name)'" }
}
