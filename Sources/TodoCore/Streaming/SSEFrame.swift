/// Writes server-sent events, the counterpart of `SSEParser`: the chat stream and the MCP transport frame events
/// the same way.
public enum SSEFrame {
    /// One event. Compact JSON is one line and becomes one `data:` field; text with newlines becomes one `data:`
    /// field a line, as the format requires, so a client reads back exactly `data`.
    /// `id`, when given, is what the client sends back as `Last-Event-ID` to resume.
    public static func event(_ name: String, data: String, id: Int64? = nil) -> String {
        let head = id.map { "id: \($0)\nevent: \(name)\n" } ?? "event: \(name)\n"
        guard data.contains("\n") else { return head + "data: \(data)\n\n" }
        return head + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n"
    }

    /// A comment line, which clients ignore; it keeps proxies from closing an idle stream.
    public static let keepAlive = ": keep-alive\n\n"
}
