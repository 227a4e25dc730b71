import PostgresNIO
import TodoCore

/// Classifies PostgresNIO errors: which are a lost connection worth one retry, and what to tell the user.
enum PostgresErrors {
    /// True when the connection died under the statement, so running it again on a fresh one is sound.
    static func isConnectionLoss(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection:
            return true
        case .server:
            // admin_shutdown, crash_shutdown, cannot_connect_now and the connection_exception class.
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
        default:
            return false
        }
    }

    /// Converts a driver error into the error the stores and the edges understand.
    static func translate(_ error: any Error) -> any Error {
        // Errors of our own (a transaction body's, a deadline) pass through untouched.
        guard let error = error as? PSQLError else { return error }
        if error.code == .server, let info = error.serverInfo {
            let state = info[.sqlState] ?? ""
            if state == "23505" { return SQLError.uniqueViolation }
            let message = info[.message] ?? "unknown error"
            if state == "28P01" || state == "28000" {
                return TodoError.unavailable("PostgreSQL refused the login: \(message)")
            }
            if state == "3D000" { return TodoError.unavailable("PostgreSQL: \(message)") }
            if state == "42P01" { return SQLError.schemaMissing(message) }
            // The server is going down, starting up, out of connections or lost the link: an outage, not a bug.
            if state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57P") {
                return TodoError.unavailable("PostgreSQL is unavailable: \(message)")
            }
            return PostgresServerError(sqlState: state, message: message)
        }
        return TodoError.unavailable("cannot reach PostgreSQL: \(describe(error))")
    }

    private static func describe(_ error: PSQLError) -> String {
        switch error.code {
        case .sslUnsupported: return "the server does not support TLS (use sslmode=disable to connect without it)"
        case .connectionError:
            // The driver's own description names Swift types; say what happened in words.
            let underlying = error.underlying.map { String(describing: $0).lowercased() } ?? ""
            if underlying.contains("refused") { return "connection refused" }
            if underlying.contains("reset") { return "connection reset" }
            if underlying.contains("resolve") || underlying.contains("lookup") || underlying.contains("name") { return "the host name does not resolve" }
            if underlying.contains("timed out") || underlying.contains("timeout") { return "connecting timed out" }
            return "connection failed"
        case .serverClosedConnection, .uncleanShutdown: return "the server closed the connection"
        case .unsupportedAuthMechanism: return "the server asks for an unsupported authentication method"
        case .authMechanismRequiresPassword: return "the server requires a password, and DATABASE_URL has none"
        case .poolClosed: return "the connection pool is shut down"
        default: return "\(error.code)"
        }
    }
}

/// An error reported by the PostgreSQL server for a statement: a bug or a schema mismatch, not an outage.
public struct PostgresServerError: Error, CustomStringConvertible {
    public let sqlState: String
    public let message: String
    public var description: String { "PostgreSQL error \(sqlState): \(message)" }
}
