#ifndef TODO_CSQLITE_SETTINGS_H
#define TODO_CSQLITE_SETTINGS_H

/// Turns on SQLite's query planner stability guarantee for a connection (the SQLite handle from SQLiteNIO's
/// bundled library). Returns SQLite's status code.
int todo_sqlite_enable_stable_plans(void *connection);

#endif
