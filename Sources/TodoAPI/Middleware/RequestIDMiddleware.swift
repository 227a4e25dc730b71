import HTTPTypes
import Hummingbird
import Logging

/// Accepts a sane `X-Request-Id` or makes one, puts it in every log line of the request and echoes it.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    static let header = HTTPField.Name("X-Request-Id")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = request.headers[Self.header].flatMap(Self.accepted) ?? Self.generate()
        context.requestID = id
        context.logger[metadataKey: "hb.request.id"] = nil
        context.logger[metadataKey: "request_id"] = .string(id)
        var response = try await next(request, context)
        response.headers[Self.header] = id
        return response
    }

    /// Up to 128 characters of letters, digits and `-_.:`, so a client cannot inject into logs.
    static func accepted(_ candidate: String) -> String? {
        guard !candidate.isEmpty, candidate.utf8.count <= 128,
              candidate.utf8.allSatisfy({ byte in
                  (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                      || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                      || byte == UInt8(ascii: ":")
              })
        else { return nil }
        return candidate
    }

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = (UInt64.random(in: .min ... .max, using: &generator), UInt64.random(in: .min ... .max, using: &generator))
        let hex = String(value.0, radix: 16) + String(value.1, radix: 16)
        return String(repeating: "0", count: max(0, 32 - hex.count)) + hex
    }
}
