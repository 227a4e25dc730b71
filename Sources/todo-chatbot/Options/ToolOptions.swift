import ArgumentParser
import TodoCore

/// Limits of tool calls and of MCP sessions over HTTP.
struct ToolOptions: SettingOptions {
    @Option(name: .long, help: "Deadline of one tool call, e.g. 15s. [env: TOOL_TIMEOUT] (default: 15s)")
    var toolTimeout: String?

    @Option(name: .long, help: "Open MCP sessions per user; one more closes the oldest. [env: MCP_SESSIONS_PER_USER] (default: 10)")
    var mcpSessionsPerUser: String?

    @Option(name: .long, help: "Close an MCP session unused this long, e.g. 30m. [env: MCP_SESSION_IDLE_TIMEOUT] (default: 30m)")
    var mcpSessionIdleTimeout: String?

    var settingValues: [(SettingKey, String?)] {
        [(.toolTimeout, toolTimeout), (.mcpSessionsPerUser, mcpSessionsPerUser), (.mcpSessionIdleTimeout, mcpSessionIdleTimeout)]
    }
}
