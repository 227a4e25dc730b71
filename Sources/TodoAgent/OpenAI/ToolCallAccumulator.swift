import TodoCore

/// Builds whole tool calls from streamed fragments. A fragment with an `index` belongs to that call: ids and names
/// may arrive once or be repeated in every fragment, arguments arrive in pieces. Servers that send no `index`
/// (Gemini, and every non-streamed `message.tool_calls`) are read by what the fragment carries instead: a name,
/// when the call before already has one, or an id not seen yet, starts a new call; anything else continues the
/// last one. Two parallel calls are never merged into one.
struct ToolCallAccumulator {
    private var calls: [ToolCall] = []
    /// The position in `calls` of each explicit index.
    private var byIndex: [Int: Int] = [:]

    mutating func add(index: Int?, id: String?, name: String?, arguments: String?, extraContent: JSONValue? = nil) {
        let id = id.flatMap { $0.isEmpty ? nil : $0 }
        let name = name.flatMap { $0.isEmpty ? nil : $0 }
        let position: Int
        if let index {
            if let known = byIndex[index] {
                position = known
            } else {
                position = start()
                byIndex[index] = position
            }
        } else if let id, let known = calls.firstIndex(where: { $0.id == id }) {
            position = known
        } else if let last = calls.indices.last, !startsNewCall(after: calls[last], id: id, name: name) {
            position = last
        } else {
            position = start()
        }
        if let id, calls[position].id.isEmpty { calls[position].id = id }
        if let name, calls[position].name.isEmpty { calls[position].name = name }
        if let arguments { calls[position].arguments += arguments }
        if let extraContent, extraContent != .null { calls[position].extraContent = extraContent }
    }

    /// A whole call, as a non-streamed completion lists it: always a call of its own.
    mutating func addWhole(id: String?, name: String?, arguments: String?, extraContent: JSONValue?) {
        let extra = extraContent == .null ? nil : extraContent
        calls.append(ToolCall(id: id ?? "", name: name ?? "", arguments: arguments ?? "", extraContent: extra))
    }

    private func startsNewCall(after last: ToolCall, id: String?, name: String?) -> Bool {
        if let id, !last.id.isEmpty, id != last.id { return true }
        return name != nil && !last.name.isEmpty
    }

    private mutating func start() -> Int {
        calls.append(ToolCall(id: "", name: "", arguments: ""))
        return calls.count - 1
    }

    /// The calls in the order they started; a call without an id gets one, since the reply must name it.
    var result: [ToolCall] {
        calls.enumerated().map { position, call in
            var call = call
            if call.id.isEmpty { call.id = "call_\(position)_\(UInt32.random(in: 0...UInt32.max))" }
            return call
        }
    }
}
