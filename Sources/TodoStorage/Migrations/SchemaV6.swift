/// Schema v6: deleted tasks are kept for undo (`deleted_at`) until the purge removes them for good.
enum SchemaV6 {
    static let migration = Migration(
        version: 6, name: "deleted tasks kept for undo",
        sqlite: statements(timestamp: "text"),
        postgres: statements(timestamp: "timestamptz")
    )

    private static func statements(timestamp: String) -> [String] {
        [
            "ALTER TABLE tasks ADD COLUMN deleted_at \(timestamp)",
            // The purge reads only deleted rows; every other query wants deleted_at IS NULL.
            "CREATE INDEX IF NOT EXISTS tasks_deleted_idx ON tasks (deleted_at) WHERE deleted_at IS NOT NULL",
        ]
    }
}
