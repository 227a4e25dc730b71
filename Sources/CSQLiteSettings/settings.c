#include "CSQLiteSettings.h"

// sqlite3_db_config is variadic, which Swift cannot call; this file is the only reason the target exists.
// The symbol is SQLiteNIO's renamed copy of SQLite, linked into every binary that links SQLiteNIO.
int sqlite_nio_sqlite3_db_config(void *connection, int option, ...);

// SQLITE_DBCONFIG_ENABLE_QPSG from sqlite3.h. Without it, a statement whose bound value could match a partial
// index's condition is prepared again on every call, which cost a reader more than running the query.
#define TODO_SQLITE_DBCONFIG_ENABLE_QPSG 1007

int todo_sqlite_enable_stable_plans(void *connection) {
    return sqlite_nio_sqlite3_db_config(connection, TODO_SQLITE_DBCONFIG_ENABLE_QPSG, 1, (int *)0);
}
