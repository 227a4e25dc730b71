/// Schema v8: PostgreSQL announces every change to `tasks` on the `todo_task_changes` channel, with the user id of
/// the row, so each replica can tell which of its cached task pages are stale (`TaskChangeListener`). A trigger
/// rather than the application: writes by a replica of an earlier release, by the reminder scheduler or by an
/// operator's SQL are announced too. Identical notifications in one transaction are sent once. SQLite needs
/// nothing: it counts commits itself (`PRAGMA data_version`).
enum SchemaV8 {
    static let migration = Migration(
        version: 8, name: "announce task changes",
        sqlite: [],
        postgres: [
            """
            CREATE OR REPLACE FUNCTION todo_task_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'TRUNCATE' THEN
                    PERFORM pg_notify('todo_task_changes', '*');
                    RETURN NULL;
                END IF;
                IF TG_OP <> 'INSERT' THEN
                    PERFORM pg_notify('todo_task_changes', OLD.user_id);
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    PERFORM pg_notify('todo_task_changes', NEW.user_id);
                END IF;
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE TRIGGER tasks_change_notify AFTER INSERT OR UPDATE OR DELETE ON tasks
            FOR EACH ROW EXECUTE FUNCTION todo_task_changed()
            """,
            """
            CREATE TRIGGER tasks_truncate_notify AFTER TRUNCATE ON tasks
            FOR EACH STATEMENT EXECUTE FUNCTION todo_task_changed()
            """,
        ]
    )
}
