import Foundation
import HTTPTypes
import Hummingbird
import Testing
@testable import TodoAPI
import TodoCore
import TodoStorage

@Suite struct ErrorMappingTests {
    @Test(arguments: [
        (TodoError.validation(field: "title", message: "title must be 1-200 characters") as any Error, 422, "VALIDATION_FAILED"),
        (TodoError.notFound(resource: "task", id: "7"), 404, "NOT_FOUND"),
        (TodoError.conflict(code: "USER_ALREADY_EXISTS", message: "taken"), 422, "USER_ALREADY_EXISTS"),
        (TodoError.unauthorized(message: "sign in"), 401, "UNAUTHORIZED"),
        (TodoError.unauthorized(code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password"), 401, "INVALID_EMAIL_OR_PASSWORD"),
        (TodoError.forbidden(message: "not yours"), 403, "FORBIDDEN"),
        (TodoError.unavailable("db down"), 503, "SERVICE_UNAVAILABLE"),
        (TodoError.duplicate("That already exists."), 409, "CONFLICT"),
        (CancellationError(), 500, "INTERNAL_ERROR"),
    ])
    func everyErrorBecomesOneJSONShape(error: any Error, status: Int, code: String) throws {
        let response = ErrorMiddleware.problem(for: error).response()
        #expect(response.status.code == status)
        #expect(response.headers[.contentType] == "application/json; charset=utf-8")
        let problem = ErrorMiddleware.problem(for: error)
        #expect(problem.code == code)
        #expect(!problem.message.isEmpty)
    }
}
