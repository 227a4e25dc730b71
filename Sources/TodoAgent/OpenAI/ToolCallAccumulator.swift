/// Builds whole tool calls from streamed fragments, by index. Ids and names may arrive once or be repeated in
/// every fragment; arguments arrive in pieces.
struct ToolCallAccumulator {
    private var calls: [Int: ToolCall] = [:]
    private var order: [Int] = []

    mutating func add(index: Int?, id: String?, name: String?, arguments: String?) {
        let index = index ?? (order.last ?? 0)
        if calls[index] == nil {
            calls[index] = ToolCall(id: "", name: "", arguments: "")
            order.append(index)
        }
        if let id, !id.isEmpty, calls[index]!.id != id { calls[index]!.id = id }
        if let name, !name.isEmpty, calls[index]!.name != name {
            calls[index]!.name = calls[index]!.name.isEmpty ? name : calls[index]!.name + name
        }
        if let arguments { calls[index]!.arguments += arguments }
    }

    /// The calls in the order they started; a call without an id gets one, since the reply must name it.
    var result: [ToolCall] {
        order.compactMap { index in
            guard var call = calls[index] else { return nil }
            if call.id.isEmpty { call.id = "call_\(index)_\(UInt32.random(in: 0...UInt32.max))" }
            return call
        }
    }
}
