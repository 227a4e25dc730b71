import TodoCore

/// A language model behind the Chat Completions protocol: the boundary tests replace with a scripted server.
public protocol ChatModel: Sendable {
    /// What `/health` and the UI show, e.g. `openai:gpt-4o-mini`.
    var label: String { get }

    /// Runs one model step. Text arrives through `onText` as the model streams it; the reply holds the whole
    /// text and the tool calls. Throws `ModelError` when the model cannot be reached or refuses.
    func complete(
        _ messages: [ChatMessage], tools: [ToolDefinition], onText: @escaping @Sendable (String) async -> Void
    ) async throws -> ModelReply
}

/// What one model step produced.
public struct ModelReply: Sendable, Equatable {
    public var text: String
    public var toolCalls: [ToolCall]

    public init(text: String, toolCalls: [ToolCall]) {
        self.text = text
        self.toolCalls = toolCalls
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
