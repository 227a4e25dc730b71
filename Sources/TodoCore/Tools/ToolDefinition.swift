/// What a model sees of a tool: its name, what it does, and the JSON Schema of its arguments.
public struct ToolDefinition: Sendable, Equatable {
    public let name: String
    public let description: String
    public let inputSchema: JSONValue
    /// The tool only reads; clients may run it without asking the user.
    public let readOnly: Bool
    /// The tool destroys data; clients should confirm before running it.
    public let destructive: Bool

    public init(name: String, description: String, inputSchema: JSONValue, readOnly: Bool = false, destructive: Bool = false) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
        self.readOnly = readOnly
        self.destructive = destructive
    }
}

/// The outcome of a tool call: structured content, or an error message the model can act on.
public struct ToolResult: Sendable, Equatable {
    public let content: JSONValue
    public let isError: Bool

    public static func success(_ content: JSONValue) -> ToolResult { ToolResult(content: content, isError: false) }
    public static func failure(_ message: String) -> ToolResult { ToolResult(content: .string(message), isError: true) }
    /// An error with structured content, e.g. a delete held for the user's confirmation.
    public static func failure(_ content: JSONValue) -> ToolResult { ToolResult(content: content, isError: true) }

    /// The text a transport sends: JSON for a success, the message itself for an error.
    public var text: String {
        if isError, case .string(let message) = content { return message }
        return content.text
    }
}
