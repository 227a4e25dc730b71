import TodoCore

/// One message of the conversation a model sees, in the Chat Completions shape.
public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable { case system, user, assistant, tool }

    public var role: Role
    public var content: String
    /// The tools an assistant message asked for.
    public var toolCalls: [ToolCall]
    /// Which call a tool message answers.
    public var toolCallID: String?

    public init(role: Role, content: String, toolCalls: [ToolCall] = [], toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: text) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
    public static func assistant(_ text: String, toolCalls: [ToolCall] = []) -> ChatMessage {
        ChatMessage(role: .assistant, content: text, toolCalls: toolCalls)
    }
    public static func tool(_ text: String, callID: String) -> ChatMessage { ChatMessage(role: .tool, content: text, toolCallID: callID) }
}

/// A tool call as a model sends it: the arguments are JSON text, which may be malformed.
public struct ToolCall: Sendable, Equatable {
    public var id: String
    public var name: String
    public var arguments: String
    /// Provider data that must go back with the call, unread: Gemini's `extra_content.google.thought_signature`.
    public var extraContent: JSONValue?

    public init(id: String, name: String, arguments: String, extraContent: JSONValue? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.extraContent = extraContent
    }

    /// The arguments as they may be sent back to a server: a JSON object, else `{}`. Ollama answers 400 to
    /// malformed arguments in history and vLLM fails to parse them; the tool result already told the model
    /// what was wrong with them.
    public var replayableArguments: String {
        if case .object? = JSONValue.parse(arguments) { return arguments }
        return "{}"
    }
}
