/// Database failures the stores react to; everything else surfaces as `TodoError.unavailable`.
public enum SQLError: Error, Equatable, Sendable {
    /// A UNIQUE constraint was violated.
    case uniqueViolation
    /// A COMMIT failed with the connection lost, so whether it applied is unknown; never retried.
    case commitOutcomeUnknown
}
