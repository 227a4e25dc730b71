/// Writes server-sent events, the counterpart of `SSEParser`: the chat stream and the MCP transport frame events
/// the same way.
public enum SSEFrame {
    /// One event. Compact JSON is one line and becomes one `data:` field; text with newlines becomes one `data:`
    /// field a line, as the format requires, so a client reads back exactly `data`.
    public static func event(_ name: String, data: String) -> String {
        guard data.contains("\n") else { return "event: \(name)\ndata: \(data)\n\n" }
        return "event: \(name)\n" + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n"
    }

    /// A comment line, which clients ignore; it keeps proxies from closing an idle stream.
    public static let keepAlive = ": keep-alive\n\n"
}
