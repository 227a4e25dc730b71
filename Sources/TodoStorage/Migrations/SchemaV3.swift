/// Schema v3: an index for the default task order (newest first), so a user with thousands of tasks gets the first
/// page without a sort.
enum SchemaV3 {
    static let migration = Migration(
        version: 3, name: "task order index",
        sqlite: ["CREATE INDEX IF NOT EXISTS tasks_user_created_idx ON tasks (user_id, created_at, id)"],
        postgres: ["CREATE INDEX IF NOT EXISTS tasks_user_created_idx ON tasks (user_id, created_at, id)"]
    )
}
