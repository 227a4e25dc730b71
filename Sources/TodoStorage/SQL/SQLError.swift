import TodoCore

/// Database failures the stores react to; everything else surfaces as `TodoError.unavailable`.
public enum SQLError: Error, Equatable, Sendable {
    /// A UNIQUE constraint was violated.
    case uniqueViolation
    /// A COMMIT failed with the connection lost, so whether it applied is unknown; never retried.
    case commitOutcomeUnknown
}

extension SQLError {
    /// A table the statement needs does not exist: the database was never migrated, or is older than this binary.
    static func schemaMissing(_ detail: String) -> TodoError {
        TodoError.unavailable("the database schema is missing or out of date (\(detail)); run `todo-chatbot migrate`")
    }
}
