/// The one error type of the domain; each edge (HTTP, MCP, CLI) maps it to its own codes in one place.
public enum TodoError: Error, Equatable, Sendable {
    /// Input broke a rule; `field` names the offending input when there is one.
    case validation(field: String?, message: String)
    /// Input refused with a code of its own and HTTP 400, where a client expects exactly that (Better Auth's
    /// `INVALID_EMAIL`, `PASSWORD_TOO_SHORT`, `PASSWORD_TOO_LONG`).
    case badInput(code: String, message: String, field: String?)
    /// The resource does not exist for this user (another user's resource looks the same).
    case notFound(resource: String, id: String)
    /// The request conflicts with existing data, e.g. a duplicate email.
    case conflict(code: String, message: String)
    /// The resource's current state does not allow this now (a reply still running, no reply to stop); HTTP 409.
    case stateConflict(code: String, message: String)
    /// A row with the same unique key exists already (the store's unique constraint refused the write).
    case duplicate(String)
    /// The caller is not authenticated; `code` says why (e.g. `INVALID_EMAIL_OR_PASSWORD`).
    case unauthorized(code: String = "UNAUTHORIZED", message: String)
    /// The caller may not do this; `code` says why (e.g. Better Auth's `EMAIL_NOT_VERIFIED`).
    case forbidden(code: String = "FORBIDDEN", message: String)
    /// A dependency (the database) is unreachable or timed out; the request may be retried.
    case unavailable(String)
    /// Too many requests; the client may try again after `retryAfter` seconds.
    case rateLimited(retryAfter: Int)
    /// A budget is used up until `retryAfter` seconds from now (e.g. the day's model tokens); HTTP 429.
    case quotaExceeded(code: String, message: String, retryAfter: Int)

    /// A stable machine-readable code for clients.
    public var code: String {
        switch self {
        case .validation: "VALIDATION_FAILED"
        case .badInput(let code, _, _): code
        case .notFound: "NOT_FOUND"
        case .conflict(let code, _), .stateConflict(let code, _): code
        case .duplicate: "CONFLICT"
        case .unauthorized(let code, _): code
        case .forbidden(let code, _): code
        case .unavailable: "SERVICE_UNAVAILABLE"
        case .rateLimited: "TOO_MANY_REQUESTS"
        case .quotaExceeded(let code, _, _): code
        }
    }

    /// A message safe to show to the user: it never carries secrets or internals.
    public var message: String {
        switch self {
        case .validation(_, let message): message
        case .badInput(_, let message, _): message
        case .notFound(let resource, let id): "No \(resource) \(id)."
        case .conflict(_, let message), .stateConflict(_, let message): message
        case .duplicate(let message): message
        case .unauthorized(_, let message): message
        case .forbidden(_, let message): message
        case .unavailable(let message): message
        case .rateLimited(let seconds): "Too many requests. Try again in \(seconds) s."
        case .quotaExceeded(_, let message, _): message
        }
    }

    /// The input field at fault, for validation errors.
    public var field: String? {
        switch self {
        case .validation(let field, _), .badInput(_, _, let field): field
        default: nil
        }
    }
}

extension TodoError: CustomStringConvertible {
    public var description: String { message }
}
