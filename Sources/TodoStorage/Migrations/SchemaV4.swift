/// Schema v4: MCP sessions, shared by every replica so any one of them can continue a client's session, and the
/// per-user cap and idle expiry hold across the fleet.
enum SchemaV4 {
    static let migration = Migration(
        version: 4, name: "shared mcp sessions",
        sqlite: [
            """
            CREATE TABLE IF NOT EXISTS mcp_sessions (
                id text PRIMARY KEY,
                user_id text NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
                created_at text NOT NULL,
                last_used_at text NOT NULL
            )
            """,
            "CREATE INDEX IF NOT EXISTS mcp_sessions_user_idx ON mcp_sessions (user_id, last_used_at)",
            "CREATE INDEX IF NOT EXISTS mcp_sessions_last_used_idx ON mcp_sessions (last_used_at)",
        ],
        postgres: [
            """
            CREATE TABLE IF NOT EXISTS mcp_sessions (
                id text PRIMARY KEY,
                user_id text NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
                created_at timestamptz NOT NULL,
                last_used_at timestamptz NOT NULL
            )
            """,
            "CREATE INDEX IF NOT EXISTS mcp_sessions_user_idx ON mcp_sessions (user_id, last_used_at)",
            "CREATE INDEX IF NOT EXISTS mcp_sessions_last_used_idx ON mcp_sessions (last_used_at)",
        ]
    )
}
