/// Schema v6: deleted tasks are kept for undo (`deleted_at`) until the purge removes them for good; model tokens
/// used per user and day, for the daily budget.
enum SchemaV6 {
    static let migration = Migration(
        version: 6, name: "deleted tasks kept for undo, token usage",
        sqlite: statements(timestamp: "text"),
        postgres: statements(timestamp: "timestamptz")
    )

    private static func statements(timestamp: String) -> [String] {
        [
            "ALTER TABLE tasks ADD COLUMN deleted_at \(timestamp)",
            // The purge reads only deleted rows; every other query wants deleted_at IS NULL.
            "CREATE INDEX IF NOT EXISTS tasks_deleted_idx ON tasks (deleted_at) WHERE deleted_at IS NOT NULL",
            """
            CREATE TABLE IF NOT EXISTS token_usage (
                user_id text NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
                day text NOT NULL,
                tokens bigint NOT NULL DEFAULT 0,
                PRIMARY KEY (user_id, day)
            )
            """,
        ]
    }
}
