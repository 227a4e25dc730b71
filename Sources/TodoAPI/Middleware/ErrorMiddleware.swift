import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TodoCore

/// The one place where errors become HTTP responses, always as `{"error":{"code","message","field"?}}`.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error)
            if problem.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(String(describing: error))"])
            }
            return problem.response()
        }
    }

    static func problem(for error: any Error) -> APIProblem {
        switch error {
        case let error as TodoError:
            let status: HTTPResponse.Status =
                switch error {
                case .validation: .unprocessableContent
                case .badInput: .badRequest
                case .notFound: .notFound
                case .conflict: .unprocessableContent
                case .duplicate, .stateConflict: .conflict
                case .unauthorized: .unauthorized
                case .forbidden: .forbidden
                case .unavailable: .serviceUnavailable
                case .rateLimited, .quotaExceeded: .tooManyRequests
                }
            var problem = APIProblem(status: status, code: error.code, message: error.message, field: error.field)
            if case .rateLimited(let seconds) = error { problem.retryAfter = seconds }
            if case .quotaExceeded(_, _, let seconds) = error { problem.retryAfter = seconds }
            return problem
        case let error as HTTPError:
            return APIProblem(
                status: error.status, code: APIProblem.code(for: error.status),
                message: error.body ?? error.status.reasonPhrase
            )
        case is NIOTooManyBytesError:
            return APIProblem(status: .contentTooLarge, code: "PAYLOAD_TOO_LARGE", message: "The request body is over 64 KiB.")
        case is DecodingError:
            return APIProblem(status: .badRequest, code: "MALFORMED_JSON", message: "The request body is not valid JSON of the expected shape.")
        default:
            return APIProblem(status: .internalServerError, code: "INTERNAL_ERROR", message: "Internal error.")
        }
    }
}

/// An error response body.
/// The JSON of an error answer.
struct ErrorBody: Encodable {
    let code: String
    let message: String
    let error: [String: String]
}

struct APIProblem: Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var field: String?
    var retryAfter: Int?

    /// `{"code", "message", "error": {"code", "message", "field"}}`: our shape, with the code and message also at the
    /// top, where Better Auth puts them and its client (better-fetch) reads them.
    func response() -> Response {
        var error: [String: String] = ["code": code, "message": message]
        if let field { error["field"] = field }
        var response = Response.json(status, ErrorBody(code: code, message: message, error: error))
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    /// `NOT_FOUND`, `METHOD_NOT_ALLOWED`…: the reason phrase in upper snake case.
    static func code(for status: HTTPResponse.Status) -> String {
        status.reasonPhrase.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.reduce(into: "") { $0.append($1) }
    }
}
