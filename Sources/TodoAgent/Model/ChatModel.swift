import TodoCore

/// A language model behind the Chat Completions protocol: the boundary tests replace with a scripted server.
public protocol ChatModel: Sendable {
    /// What `/health` and the UI show, e.g. `openai:gpt-4o-mini`.
    var label: String { get }

    /// Runs one model step. Text arrives through `onText` as the model streams it; the reply holds the whole
    /// text and the tool calls. With `toolsAllowed` false the model sees the tools (history names them) but may
    /// not call one (`tool_choice: none`). Throws `ModelError` when the model cannot be reached or refuses.
    func complete(
        _ messages: [ChatMessage], tools: [ToolDefinition], toolsAllowed: Bool, onText: @escaping @Sendable (String) async -> Void
    ) async throws -> ModelReply
}

extension ChatModel {
    /// A step that may call tools.
    public func complete(
        _ messages: [ChatMessage], tools: [ToolDefinition], onText: @escaping @Sendable (String) async -> Void
    ) async throws -> ModelReply {
        try await complete(messages, tools: tools, toolsAllowed: true, onText: onText)
    }
}

/// What one model step produced.
public struct ModelReply: Sendable, Equatable {
    public var text: String
    public var toolCalls: [ToolCall]
    /// Why the model stopped, when the server said.
    public var finishReason: FinishReason?
    /// The tokens the step used, when the server reported them.
    public var usage: TokenUsage?

    public init(text: String, toolCalls: [ToolCall], finishReason: FinishReason? = nil, usage: TokenUsage? = nil) {
        self.text = text
        self.toolCalls = toolCalls
        self.finishReason = finishReason
        self.usage = usage
    }
}

/// The `finish_reason` of a step, reduced to what changes what the agent does.
public enum FinishReason: Sendable, Equatable {
    /// `stop`, `tool_calls`, `function_call`, `eos`: the step ended as the model meant.
    case complete
    /// `length`: cut off at the output limit; the text is incomplete and tool arguments may be truncated.
    case length
    /// `content_filter`: the server's filter stopped the answer.
    case contentFilter

    init(wire: String) {
        switch wire.lowercased() {
        case "length", "max_tokens": self = .length
        case "content_filter", "safety", "recitation": self = .contentFilter
        default: self = .complete
        }
    }
}

/// Token counts as the server reports them.
public struct TokenUsage: Sendable, Equatable {
    public var prompt: Int
    public var completion: Int

    public init(prompt: Int, completion: Int) {
        self.prompt = prompt
        self.completion = completion
    }

    public var total: Int { prompt + completion }

    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(prompt: lhs.prompt + rhs.prompt, completion: lhs.completion + rhs.completion)
    }
}

/// Why a model step failed, worded for the user: never a stack trace, never a secret.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Connection refused or dropped, or a timeout: worth retrying.
        case unreachable
        /// 429: worth retrying after `retryAfter`.
        case rateLimited(retryAfter: Duration?)
        /// 5xx: worth retrying.
        case serverError(status: Int)
        /// 4xx other than 429, or a reply we cannot read: retrying would not help.
        case refused(status: Int?)
        /// The step outlived its deadline.
        case timedOut
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    var isRetryable: Bool {
        switch kind {
        case .unreachable, .rateLimited, .serverError, .timedOut: true
        case .refused: false
        }
    }
}
