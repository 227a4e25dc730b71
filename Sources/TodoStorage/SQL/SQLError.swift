import TodoCore

/// How the backends word database failures as `TodoError`s, so nothing above the store sees a driver's error.
enum SQLError {
    /// A UNIQUE constraint refused the write; the users store turns it into "that email is taken".
    static let uniqueViolation = TodoError.duplicate("That already exists.")

    /// The connection was lost after a write (or its COMMIT) reached the server, so whether it applied is unknown.
    /// It is never run again; the client is told to look before it tries again.
    static let outcomeUnknown = TodoError.unavailable(
        "The database connection was lost while saving; the change may or may not have been saved. Reload before trying again."
    )

    /// SQLite stayed locked by another process for the whole database timeout.
    static let busy = TodoError.unavailable("the SQLite database is busy; try again")

    /// A table the statement needs does not exist: the database was never migrated, or is older than this binary.
    static func schemaMissing(_ detail: String) -> TodoError {
        TodoError.unavailable("the database schema is missing or out of date (\(detail)); run `todo-chatbot migrate`")
    }

    /// True when the database refused a statement outright for the data it carries (a constraint or a value:
    /// SQLSTATE classes 22 and 23; SQLite's constraint, type and size errors), so none of it was applied and its
    /// parts may succeed alone. Outages, lost connections, deadlines, cancellations, conflicts and errors in the
    /// statement itself (class 42: they would fail alone too) are not.
    static func isRefusal(_ error: any Error) -> Bool {
        switch error {
        case let error as PostgresServerError: ["22", "23"].contains(error.sqlState.prefix(2))
        // SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_MISMATCH, with or without their extended codes.
        case let error as SQLiteFailure: [18, 19, 20].contains(error.status & 0xff)
        case let error as TodoError: error == uniqueViolation
        default: false
        }
    }
}
