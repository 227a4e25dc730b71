import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import TodoCore

/// `GET /api/events`: the signed-in user's task and conversation changes and due reminders, as server-sent events,
/// from whichever client and replica made them. A client that reconnects with `Last-Event-ID` (EventSource does)
/// gets what it missed from the log first.
struct EventsController {
    let hub: EventHub
    let store: any EventStore
    let resolver: SessionResolver
    /// How often an idle stream gets a comment, so proxies keep it open.
    var heartbeat = Duration.seconds(15)
    /// How often the stream checks the session is still valid; a signed-out or revoked session ends it.
    var recheck = Duration.seconds(30)
    /// A client further behind than this reloads instead (`ready` says `resync`).
    static let replayLimit = 500

    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    func register(on router: Router<APIRequestContext>, authentication: AuthenticationMiddleware) {
        router.group("api/events").add(middleware: authentication).get(use: stream)
    }

    @Sendable func stream(_ request: Request, context: APIRequestContext) async throws -> Response {
        let userID = try context.requireUserID()
        let resume = try Self.resumePoint(request)
        let subscription = try await hub.subscribe(userID: userID)
        let latest = try await store.latestEventID()
        var backlog: [ChangeEvent] = []
        var resync = false
        if let resume, resume < latest {
            backlog = try await store.events(userID: userID, after: resume, limit: Self.replayLimit)
            if backlog.count == Self.replayLimit { (backlog, resync) = ([], true) }
        }
        let ready: JSONValue = ["last_event_id": .int(latest), "resync": .bool(resync)]
        // A fresh stream starts at the log's end; a resumed one keeps the client's place until its backlog is sent.
        let opening = "retry: 3000\n" + SSEFrame.event("ready", data: ready.text, id: resume == nil || resync ? latest : nil)
            + backlog.map { SSEFrame.event($0.kind, data: $0.data, id: $0.id) }.joined()
        let replayed = Set(backlog.map(\.id))
        let (frames, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingOldest(64))
        let (heartbeat, recheck, resolver) = (heartbeat, recheck, resolver)
        // Inherits the server's graceful-shutdown signal, so a stopping server ends open streams instead of
        // waiting for them; cancelled when the client leaves.
        let producer = Task {
            await cancelWhenGracefulShutdown {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        // A stream nobody reads (the client left before its body began) stops once its buffer is full.
                        for await event in subscription.events where !replayed.contains(event.id) {
                            if case .dropped = continuation.yield(SSEFrame.event(event.kind, data: event.data, id: event.id)) { return }
                        }
                    }
                    group.addTask {
                        while (try? await Task.sleep(for: heartbeat)) != nil {
                            if case .dropped = continuation.yield(SSEFrame.keepAlive) { return }
                        }
                    }
                    group.addTask {
                        while (try? await Task.sleep(for: recheck)) != nil {
                            // An outage keeps the stream; only an answer that the session is gone ends it.
                            if case .signedOut = await Self.session(resolver, request) { return }
                        }
                    }
                    _ = await group.next()
                    group.cancelAll()
                }
            }
            continuation.finish()
        }
        return .eventStream(opening: opening, frames) { producer.cancel() }
    }

    enum SessionState { case valid, signedOut, unknown }

    static func session(_ resolver: SessionResolver, _ request: Request) async -> SessionState {
        do {
            return try await resolver.resolve(request) == nil ? .signedOut : .valid
        } catch {
            return .unknown
        }
    }

    /// Where a reconnecting client left off: `Last-Event-ID`, or `?after=` for clients that cannot set headers.
    static func resumePoint(_ request: Request) throws(TodoError) -> Int64? {
        guard let raw = request.headers[lastEventID] ?? request.uri.queryParameters.get("after") else { return nil }
        guard let id = Int64(raw.trimmingCharacters(in: .whitespaces)), id >= 0 else {
            throw .validation(field: "after", message: "Last-Event-ID (or after) must be an event id this stream sent")
        }
        return id
    }
}
