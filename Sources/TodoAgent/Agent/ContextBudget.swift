import TodoCore

/// Fits the history a model sees into a budget of characters, so a small-context server (Ollama's default) never
/// silently drops the front of the prompt, the instructions included. Earlier tool results are shortened first,
/// oldest first ("47 tasks listed"); then the oldest exchanges go, each from a user message to the next, so a
/// tool result never loses its call. The system prompt and the latest message are never cut.
public struct ContextBudget: Sendable {
    /// The default: about 8,000 tokens, which fits every server we test, Ollama's 2,048-token default aside
    /// (README says how to raise it there).
    public static let defaultCharacters = 32_000

    let characters: Int

    func fit(system: ChatMessage, history: [ChatMessage], latest: ChatMessage) -> [ChatMessage] {
        let room = characters - Self.size(system) - Self.size(latest)
        var history = history
        var used = history.reduce(0) { $0 + Self.size($1) }
        var index = history.startIndex
        while used > room, index < history.endIndex {
            if history[index].role == .tool, let short = Self.shortened(history[index].content) {
                used -= Self.size(history[index])
                history[index].content = short
                used += Self.size(history[index])
            }
            index += 1
        }
        while used > room, let cut = Self.firstExchangeEnd(history) {
            used -= history[..<cut].reduce(0) { $0 + Self.size($1) }
            history.removeFirst(cut)
        }
        if used > room { history.removeAll() }
        return [system] + history + [latest]
    }

    /// What a message costs: its text, its calls, and a little for the framing around each.
    static func size(_ message: ChatMessage) -> Int {
        message.content.utf8.count + 16 + message.toolCalls.reduce(0) { $0 + $1.name.utf8.count + $1.arguments.utf8.count + 32 }
    }

    /// Where the second exchange starts: dropping everything before it keeps the history starting at a user message.
    static func firstExchangeEnd(_ history: [ChatMessage]) -> Int? {
        guard history.count > 1 else { return history.isEmpty ? nil : 1 }
        return history.dropFirst().firstIndex { $0.role == .user } ?? history.count
    }

    /// A short stand-in for a long tool result: how many tasks a list held, or the start of anything else.
    static func shortened(_ result: String) -> String? {
        guard result.utf8.count > 200 else { return nil }
        if case .array(let items)? = JSONValue.parse(result) {
            return "[earlier result, shortened: \(items.count) task\(items.count == 1 ? "" : "s") listed; call list_tasks again for details]"
        }
        return String(result.prefix(160)) + "… [earlier result, shortened]"
    }
}
