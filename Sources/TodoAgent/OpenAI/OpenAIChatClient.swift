import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import TodoCore

/// The settings of an OpenAI-compatible server.
public struct OpenAIConfiguration: Sendable {
    public var baseURL: String
    /// Read on every request, so a reload (SIGHUP) can replace it without a restart.
    public var apiKey: Reloadable<String?>
    public var model: String
    /// Deadline for the connection and the response headers, and the longest silence between streamed bytes.
    public var timeout: Duration
    /// Retries after the first try, for 429, 5xx and connection errors.
    public var maxRetries: Int

    public init(baseURL: String?, apiKey: String?, model: String, timeout: Duration = .seconds(30), maxRetries: Int = 3) {
        self.baseURL = baseURL ?? "https://api.openai.com/v1"
        self.apiKey = Reloadable(apiKey)
        self.model = model
        self.timeout = timeout
        self.maxRetries = maxRetries
    }

    /// `{base}/chat/completions`, keeping a query such as Azure's `?api-version=…` at the end.
    var completionsURL: String {
        var components = URLComponents(string: baseURL)
        let path = components?.path ?? ""
        components?.path = (path.hasSuffix("/") ? String(path.dropLast()) : path) + "/chat/completions"
        return components?.string ?? baseURL + "/chat/completions"
    }

    /// Azure OpenAI takes the key in `api-key`; everyone else in `Authorization: Bearer`.
    var usesAzureKeyHeader: Bool {
        URLComponents(string: baseURL)?.host?.lowercased().hasSuffix(".azure.com") ?? false
    }
}

/// A Chat Completions client with tools and streaming, for any OpenAI-compatible server. It reads the reply as it
/// arrives (SSE, or one JSON document from servers that do not stream), retries what is worth retrying before the
/// first byte reached the caller, and turns every failure into a `ModelError` the user may read.
public final class OpenAIChatClient: ChatModel, Service {
    public let configuration: OpenAIConfiguration
    let http: HTTPClient
    let logger: Logger
    /// Waits between retries: exponential with full jitter, replaceable in tests.
    let backoff: @Sendable (Int) -> Duration
    /// Set once the server refused `stream_options` (usage in the stream), so it is not sent again.
    let usageRefused = OnceFlag()

    /// Exponential backoff with full jitter: up to 0.5 s, 1 s, 2 s, … capped at 8 s.
    public static let jitteredBackoff: @Sendable (Int) -> Duration = { attempt in
        let cap = min(8.0, 0.5 * pow(2.0, Double(attempt)))
        return .milliseconds(Int64(Double.random(in: 0...cap) * 1000))
    }

    public init(_ configuration: OpenAIConfiguration, logger: Logger, backoff: @escaping @Sendable (Int) -> Duration = OpenAIChatClient.jitteredBackoff) {
        self.configuration = configuration
        let millis = configuration.timeout.totalMilliseconds
        var http = HTTPClient.Configuration()
        http.timeout = .init(connect: .milliseconds(min(millis, 10_000)), read: .milliseconds(max(millis, 100)))
        // Our own retry loop (with backoff and a limit) handles refused connections.
        http.connectionPool.retryConnectionEstablishment = false
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
        self.logger = logger
        self.backoff = backoff
    }

    public var label: String { "openai:\(configuration.model)" }

    /// Runs until shutdown, then closes the connection pool.
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }

    public func shutdown() async throws {
        try await http.shutdown()
    }

    public func complete(
        _ messages: [ChatMessage], tools: [ToolDefinition], toolsAllowed: Bool, onText: @escaping @Sendable (String) async -> Void
    ) async throws -> ModelReply {
        var attempt = 0
        while true {
            let delivered = OnceFlag()
            let includeUsage = !usageRefused.isSet
            let body = OpenAIWire.requestBody(
                model: configuration.model, messages: messages, tools: tools, toolsAllowed: toolsAllowed, stream: true,
                includeUsage: includeUsage
            )
            do {
                return try await once(ByteBuffer(string: body.text), onText: { text in
                    delivered.set()
                    await onText(text)
                })
            } catch let error as ModelError {
                // Usage in the stream is an extension some servers refuse; ask once more without it, for good.
                if includeUsage, case .refused(status: 400?) = error.kind, error.message.contains("stream_options") {
                    usageRefused.set()
                    logger.info("the model server refuses stream_options; token usage is read only where it is sent anyway")
                    continue
                }
                // Text already shown cannot be taken back, so only a step that delivered nothing is retried.
                guard error.isRetryable, !delivered.isSet, attempt < configuration.maxRetries, !Task.isCancelled else { throw error }
                var wait = backoff(attempt)
                if case .rateLimited(let retryAfter?) = error.kind { wait = min(retryAfter, .seconds(30)) }
                logger.warning("model request failed; retrying", metadata: ["attempt": "\(attempt + 1)", "reason": "\(error.message)", "wait_ms": "\(wait.totalMilliseconds)"])
                attempt += 1
                try await Task.sleep(for: wait)
            }
        }
    }

    private func once(_ body: ByteBuffer, onText: @escaping @Sendable (String) async -> Void) async throws -> ModelReply {
        var request = HTTPClientRequest(url: configuration.completionsURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream, application/json")
        if let key = configuration.apiKey.value, !key.isEmpty {
            if configuration.usesAzureKeyHeader {
                request.headers.add(name: "api-key", value: key)
            } else {
                request.headers.add(name: "Authorization", value: "Bearer \(key)")
            }
        }
        request.body = .bytes(body)
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .milliseconds(configuration.timeout.totalMilliseconds))
        } catch {
            throw Self.describe(error, timeout: configuration.timeout)
        }
        guard response.status == .ok else { throw try await Self.failure(response) }
        var reader = ReplyReader()
        do {
            let isStream = response.headers.first(name: "content-type")?.lowercased().hasPrefix("text/event-stream") ?? false
            if isStream {
                var parser = SSEParser()
                stream: for try await chunk in response.body {
                    for event in parser.feed(chunk.readableBytesView) {
                        if try await reader.consume(event.data, onText: onText) == .done { break stream }
                    }
                }
                for event in parser.finish() { _ = try await reader.consume(event.data, onText: onText) }
            } else {
                // Servers that ignore `stream: true` answer with the whole completion.
                let whole = try await response.body.collect(upTo: 8 << 20)
                _ = try await reader.consume(String(buffer: whole), onText: onText)
            }
        } catch let error as ModelError {
            throw error
        } catch {
            throw Self.describe(error, timeout: configuration.timeout)
        }
        return reader.reply
    }

    /// The error for a non-200 answer, with the server's own message where it is safe to show.
    static func failure(_ response: HTTPClientResponse, now: Date = Date()) async throws -> ModelError {
        let status = Int(response.status.code)
        let text = (try? await response.body.collect(upTo: 64 << 10)).map { String(buffer: $0) } ?? ""
        let error = OpenAIWire.serverError(text)
        let detail = error.map { ": " + String($0.message.prefix(300)) } ?? ""
        switch status {
        case 429 where error?.code == "insufficient_quota":
            // Waiting does not refill a quota: only billing does.
            return ModelError(.refused(status: status), "The model account's quota is used up (429 insufficient_quota); check its plan and billing")
        case 429:
            return ModelError(.rateLimited(retryAfter: retryAfter(response.headers, now: now)), "The model server is rate limiting requests (429)\(detail)")
        case 500...599:
            return ModelError(.serverError(status: status), "The model server failed (\(status))\(detail)")
        case 401, 403:
            // The server's text may echo part of the key, so it is not passed on.
            return ModelError(.refused(status: status), "The model server rejected the API key (\(status)); check OPENAI_API_KEY")
        case 404:
            return ModelError(.refused(status: status), "The model server has no such endpoint or model (404); check OPENAI_BASE_URL and OPENAI_MODEL\(detail)")
        default:
            return ModelError(.refused(status: status), "The model server refused the request (\(status))\(detail)")
        }
    }

    /// `Retry-After` in seconds or as an HTTP date, or OpenAI's `retry-after-ms`.
    static func retryAfter(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        if let millis = headers.first(name: "retry-after-ms").flatMap(Double.init), millis >= 0 { return .milliseconds(Int64(millis)) }
        guard let value = headers.first(name: "retry-after") else { return nil }
        if let seconds = Double(value), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        guard let date = HTTPDate.parse(value) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }

    static func describe(_ error: any Error, timeout: Duration) -> ModelError {
        if error is CancellationError { return ModelError(.timedOut, "The model request was cancelled") }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .getConnectionFromPoolTimeout:
                return ModelError(.timedOut, "The model server did not answer within \(timeout.formattedSeconds)")
            case .cancelled:
                return ModelError(.timedOut, "The model request was cancelled")
            default:
                break
            }
        }
        return ModelError(.unreachable, "The model server could not be reached (\(String(describing: type(of: error))))")
    }
}


/// Turns the chunks of one reply into its text, tool calls, finish reason and usage.
struct ReplyReader {
    enum Progress { case more, done }

    private var text = ""
    private var calls = ToolCallAccumulator()
    private var finishReason: FinishReason?
    private var usage: TokenUsage?
    private static let decoder = JSONDecoder()

    var reply: ModelReply { ModelReply(text: text, toolCalls: calls.result, finishReason: finishReason, usage: usage) }

    mutating func consume(_ data: String, onText: @Sendable (String) async -> Void) async throws -> Progress {
        let trimmed = data.trimmingCharacters(in: .whitespaces)
        if trimmed == "[DONE]" { return .done }
        if trimmed.isEmpty { return .more }
        guard let chunk = try? Self.decoder.decode(OpenAIWire.Chunk.self, from: Data(trimmed.utf8)) else {
            throw ModelError(.refused(status: nil), "The model server sent a reply that is not Chat Completions JSON")
        }
        if let error = chunk.failure {
            throw ModelError(.serverError(status: 200), "The model server reported an error: \(String(error.message.prefix(300)))")
        }
        if let reported = chunk.reportedUsage { usage = reported }
        for choice in chunk.choices ?? [] {
            if let reason = choice.finishReason { finishReason = FinishReason(wire: reason) }
            if let delta = choice.delta {
                try await read(delta, onText: onText)
                for call in delta.toolCalls ?? [] {
                    calls.add(index: call.index, id: call.id, name: call.function?.name, arguments: call.function?.arguments, extraContent: call.extraContent)
                }
            } else if let message = choice.message {
                try await read(message, onText: onText)
                for call in message.toolCalls ?? [] {
                    calls.addWhole(id: call.id, name: call.function?.name, arguments: call.function?.arguments, extraContent: call.extraContent)
                }
            }
        }
        return .more
    }

    private mutating func read(_ delta: OpenAIWire.Delta, onText: @Sendable (String) async -> Void) async throws {
        if let content = delta.content, !content.isEmpty {
            text += content
            await onText(content)
        }
        if let refusal = delta.refusal, !refusal.isEmpty {
            text += refusal
            await onText(refusal)
        }
    }
}
