import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TodoAgent
import TodoCore

/// `POST /api/chat` (and the original spec's `POST /api/{user_id}/chat`): one turn with the agent, as SSE when
/// the client accepts `text/event-stream`, otherwise as one JSON answer; `replace_turn_id` regenerates or edits the
/// last turn. `POST /api/conversations/{id}/cancel` stops the conversation's running turn on whichever replica.
struct ChatController {
    let chat: ChatService
    let metrics: APIMetrics
    let turns: ChatTurnLimit
    /// How often an idle SSE stream gets a comment, so proxies keep it open.
    var heartbeat = Duration.seconds(15)

    struct ChatBody: Decodable {
        let conversationID: Int64?
        let message: String
        let timeZone: String?
        let replaceTurnID: String?

        enum CodingKeys: String, CodingKey {
            case message
            case conversationID = "conversation_id"
            case timeZone = "time_zone"
            case replaceTurnID = "replace_turn_id"
        }
    }

    /// The optional body of cancel, regenerate and edit: which turn (else the conversation's last), and for edit
    /// the new message.
    struct TurnBody: Decodable {
        var turnID: String?
        var message: String?
        var timeZone: String?

        enum CodingKeys: String, CodingKey {
            case message
            case turnID = "turn_id"
            case timeZone = "time_zone"
        }
    }

    static let timeZoneHeader = HTTPField.Name("X-Time-Zone")!

    func register(on router: Router<APIRequestContext>, authentication: AuthenticationMiddleware) {
        router.group("api/chat").add(middleware: authentication).post(use: send)
        router.group("api/:user_id/chat").add(middleware: authentication).add(middleware: PathUserMiddleware()).post(use: send)
        let conversations = router.group("api/conversations").add(middleware: authentication)
        conversations.post(":id/cancel", use: cancel)
        conversations.post(":id/regenerate", use: regenerate)
        conversations.post(":id/edit", use: edit)
    }

    /// `POST /api/conversations/{id}/regenerate`: the last turn again, with the same message, replacing it.
    @Sendable func regenerate(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await replaceLastTurn(request, context: context, editing: false)
    }

    /// `POST /api/conversations/{id}/edit` with `{"message": …}`: the last turn with a new message, replacing it.
    @Sendable func edit(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await replaceLastTurn(request, context: context, editing: true)
    }

    /// The same as `POST /api/chat` with `replace_turn_id` set to the conversation's last turn (checked against
    /// `turn_id` when the body names one).
    func replaceLastTurn(_ request: Request, context: APIRequestContext, editing: Bool) async throws -> Response {
        let userID = try context.requireUserID()
        let id = try Self.conversationID(context)
        var request = request
        let body = try await request.decodeOptionalJSON(TurnBody.self, context: context, empty: TurnBody())
        let last = try await chat.lastTurn(conversationID: id, userID: userID)
        if let wanted = body.turnID, wanted != last.id {
            throw TodoError.stateConflict(code: "TURN_NOT_LAST", message: "Only the conversation's last turn can be regenerated or edited.")
        }
        guard !editing || body.message != nil else { throw TodoError.validation(field: "message", message: "message is required") }
        return try await respond(
            to: request, context: context, message: body.message ?? last.message, conversationID: id, replacing: last.id,
            timeZone: body.timeZone
        )
    }

    static func conversationID(_ context: APIRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw TodoError.notFound(resource: "conversation", id: "?") }
        return id
    }

    @Sendable func cancel(_ request: Request, context: APIRequestContext) async throws -> Response {
        let userID = try context.requireUserID()
        let id = try Self.conversationID(context)
        // The body is optional: none (or `{}`) stops whatever runs in the conversation.
        var request = request
        let body = try await request.decodeOptionalJSON(TurnBody.self, context: context, empty: TurnBody())
        let stop = try await chat.stop(conversationID: id, userID: userID, turnID: body.turnID)
        let status = stop.wasAbandoned ? "stopped" : "stopping"
        return .json(.accepted, ["turn_id": stop.turnID, "status": status] as [String: String])
    }

    @Sendable func send(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(ChatBody.self, context: context)
        return try await respond(
            to: request, context: context, message: body.message, conversationID: body.conversationID, replacing: body.replaceTurnID,
            timeZone: body.timeZone
        )
    }

    /// One turn, answered as SSE or JSON as the request asks.
    func respond(
        to request: Request, context: APIRequestContext, message: String, conversationID: Int64?, replacing: String?, timeZone: String?
    ) async throws -> Response {
        let userID = try context.requireUserID()
        let message = try ChatService.validate(message)
        let timeZone = try Self.timeZone(timeZone ?? request.headers[Self.timeZoneHeader])
        let streaming = request.headers[.accept]?.lowercased().contains("text/event-stream") ?? false
        let metrics = metrics
        let began = ContinuousClock.now
        // Counts tool calls and the turn's outcome as the events pass, for /metrics.
        let measured: @Sendable (AgentEvent) -> Void = { event in
            switch event {
            case .toolResult(let step): metrics.toolCalled(step.call.name, failed: step.result.isError)
            case .done(let summary):
                metrics.chatTurnFinished(outcome: summary.status == .stopped ? "stopped" : "done", duration: .now - began)
            case .error: metrics.chatTurnFinished(outcome: "error", duration: .now - began)
            default: break
            }
        }
        let lease = try turns.acquire(userID)
        guard streaming else {
            defer { lease.release() }
            let summary = try await chat.send(
                message, conversationID: conversationID, userID: userID, timeZone: timeZone, replacing: replacing
            ) { measured($0) }
            return .json(.ok, summary.wire)
        }
        // Refusals (a draining shutdown, refusals that need the store) are HTTP errors before the stream starts.
        let ticket: RunningTurns.Ticket
        do { ticket = try chat.turns.begin() } catch {
            lease.release()
            throw error
        }
        let started: ChatService.StartedTurn
        do {
            started = try await chat.start(
                message, conversationID: conversationID, userID: userID, timeZone: timeZone, replacing: replacing, ticket: ticket
            )
        } catch {
            ticket.end()
            lease.release()
            throw error
        }
        let (frames, continuation) = AsyncStream<String>.makeStream()
        let (chat, heartbeat, logger) = (chat, heartbeat, context.logger)
        // The turn runs on its own task: a client that leaves mid-stream still gets its turn finished and
        // stored whole, never half.
        Task {
            defer {
                lease.release()
                ticket.end()
            }
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while (try? await Task.sleep(for: heartbeat)) != nil {
                        if case .terminated = continuation.yield(SSEFrame.keepAlive) { return }
                    }
                }
                let ended = OnceFlag()
                do {
                    _ = try await chat.complete(started) { event in
                        measured(event)
                        if case .done = event { ended.set() }
                        if case .error = event { ended.set() }
                        continuation.yield(event.sseFrame)
                    }
                } catch {
                    if !ended.isSet {
                        logger.error("chat turn failed", metadata: ["error": "\(String(reflecting: error))"])
                        let problem = ErrorMiddleware.problem(for: error)
                        continuation.yield(AgentEvent.error(code: problem.code, message: problem.message).sseFrame)
                    }
                }
                group.cancelAll()
            }
            continuation.finish()
        }
        return .eventStream(frames)
    }

    /// An IANA time zone such as `Europe/Berlin`; UTC when none is given.
    static func timeZone(_ identifier: String?) throws(TodoError) -> TimeZone {
        guard let identifier, !identifier.isEmpty else { return .gmt }
        guard let zone = TimeZone(identifier: identifier) else {
            throw .validation(field: "time_zone", message: "time_zone must be an IANA time zone such as Europe/Berlin")
        }
        return zone
    }
}
