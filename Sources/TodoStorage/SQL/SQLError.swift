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

    /// True when the database refused a statement outright (a constraint, a type, a privilege), so none of it was
    /// applied and its parts may succeed alone. Outages, lost connections and deadlines are not refusals.
    static func isRefusal(_ error: any Error) -> Bool {
        error is PostgresServerError || error is SQLiteFailure
    }
}
