import Foundation
import Hummingbird
import Logging

/// One log line per request, carrying the request id through the logger's metadata.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let status = response.status.code
        let logger = context.logger
        response.body = response.body.whenWritten {
            let elapsed = ContinuousClock.now - start
            let millis = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            logger.log(
                level: status >= 500 ? .warning : .info, "request",
                metadata: [
                    "method": .string(request.method.rawValue), "path": .string(request.uri.path),
                    "status": .stringConvertible(status), "duration_ms": .string(String(format: "%.2f", millis)),
                ]
            )
        }
        return response
    }
}
