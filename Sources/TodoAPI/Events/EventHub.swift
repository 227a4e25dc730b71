import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TodoCore

/// Fans the change log out to this replica's open `/api/events` streams. One poll of the shared table per
/// `interval` serves every subscriber of the replica, and none runs while nobody listens; LISTEN/NOTIFY is not
/// used, because Neon's transaction-mode pooler does not carry it.
public final class EventHub: Service, Sendable {
    /// One open stream's feed; it ends when the stream falls too far behind (the client resumes with
    /// `Last-Event-ID`) or the server shuts down.
    public struct Subscription: Sendable {
        public let events: AsyncStream<ChangeEvent>
    }

    private struct State {
        var nextID = 0
        var subscribers: [String: [Int: AsyncStream<ChangeEvent>.Continuation]] = [:]
        var cursor: EventCursor?
        var lastPrune = Date.distantPast
        var closed = false
    }

    private let state = Mutex(State())
    let store: any EventStore
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Date
    /// Open streams one user may have on one replica; a new one closes the oldest.
    static let streamsPerUser = 8
    /// Events a stream may have waiting before it is closed as too slow.
    static let buffer = 256
    /// How long the log keeps events, so a client that reconnects within it misses nothing.
    static let retention: TimeInterval = 3600

    public init(store: any EventStore, interval: Duration = .seconds(1), logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.interval = interval
        self.logger = logger
        self.now = now
    }

    /// Opens a feed of `userID`'s events. When the hub was idle, it first finds where the log stands, so nothing
    /// committed from now on is missed.
    public func subscribe(userID: String) async throws -> Subscription {
        if state.withLock({ $0.cursor == nil }) {
            let latest = try await store.latestEventID()
            let floor = max(0, latest - Int64(EventCursor.missingLimit))
            let present = try await store.events(after: floor, orIn: [], limit: EventCursor.missingLimit).map(\.id)
            let cursor = EventCursor(last: latest, present: present, floor: floor, now: now())
            state.withLock { state in
                if state.cursor == nil { state.cursor = cursor }
            }
        }
        let (events, continuation) = AsyncStream<ChangeEvent>.makeStream(bufferingPolicy: .bufferingOldest(Self.buffer))
        let (id, evicted) = state.withLock { state -> (Int?, AsyncStream<ChangeEvent>.Continuation?) in
            guard !state.closed else { return (nil, nil) }
            state.nextID += 1
            var streams = state.subscribers[userID, default: [:]]
            let evicted = streams.count >= Self.streamsPerUser ? streams.keys.min().flatMap { streams.removeValue(forKey: $0) } : nil
            streams[state.nextID] = continuation
            state.subscribers[userID] = streams
            return (state.nextID, evicted)
        }
        // Finished outside the lock: its termination handler takes the lock too.
        evicted?.finish()
        guard let id else {
            continuation.finish()
            throw TodoError.unavailable("the server is shutting down; reconnect in a moment")
        }
        continuation.onTermination = { [weak self] _ in self?.remove(id, userID: userID) }
        return Subscription(events: events)
    }

    /// How many streams are open on this replica.
    public var subscriberCount: Int { state.withLock { $0.subscribers.values.reduce(0) { $0 + $1.count } } }

    private func remove(_ id: Int, userID: String) {
        state.withLock { state in
            state.subscribers[userID]?.removeValue(forKey: id)
            if state.subscribers[userID]?.isEmpty == true { state.subscribers.removeValue(forKey: userID) }
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: self.interval)) != nil {
                await self.tick()
            }
        }
        let open = state.withLock { state in
            state.closed = true
            defer { state.subscribers = [:] }
            return state.subscribers.values.flatMap(\.values)
        }
        for continuation in open { continuation.finish() }
    }

    /// One poll: reads what is new since the cursor and hands each event to its user's streams.
    func tick() async {
        let stamp = now()
        await prune(at: stamp)
        guard let cursor = state.withLock({ state -> EventCursor? in
            // Idle: forget the cursor, so a later subscriber starts from the log's end instead of replaying.
            if state.subscribers.isEmpty { state.cursor = nil }
            return state.cursor
        }) else { return }
        do {
            let rows = try await store.events(after: cursor.last, orIn: cursor.missingIDs, limit: 1000)
            let fresh = state.withLock { state -> [ChangeEvent] in
                guard var current = state.cursor else { return [] }
                let fresh = current.accept(rows, now: stamp)
                state.cursor = current
                return fresh
            }
            deliver(fresh)
        } catch {
            logger.debug("change log poll failed", metadata: ["error": "\(error)"])
        }
    }

    private func deliver(_ events: [ChangeEvent]) {
        guard !events.isEmpty else { return }
        // Yielded outside the lock: a stream that closes at this moment runs its termination handler, which takes
        // the lock (holding it here while the stream holds its own would deadlock the two).
        let users = Set(events.map(\.userID))
        let streams = state.withLock { state in users.reduce(into: [String: [Int: AsyncStream<ChangeEvent>.Continuation]]()) { $0[$1] = state.subscribers[$1] } }
        var lagging: [(userID: String, id: Int, continuation: AsyncStream<ChangeEvent>.Continuation)] = []
        for event in events {
            for (id, continuation) in streams[event.userID] ?? [:] where !lagging.contains(where: { $0.id == id }) {
                if case .dropped = continuation.yield(event) {
                    // Too slow to keep up: closed, and it resumes from the log with Last-Event-ID.
                    lagging.append((event.userID, id, continuation))
                }
            }
        }
        guard !lagging.isEmpty else { return }
        state.withLock { state in
            for stream in lagging { state.subscribers[stream.userID]?.removeValue(forKey: stream.id) }
        }
        for stream in lagging { stream.continuation.finish() }
    }

    /// Trims the log every ten minutes, on whichever replica gets there.
    private func prune(at stamp: Date) async {
        let due = state.withLock { state in
            guard stamp.timeIntervalSince(state.lastPrune) >= 600 else { return false }
            state.lastPrune = stamp
            return true
        }
        guard due else { return }
        do {
            try await store.pruneEvents(before: stamp.addingTimeInterval(-Self.retention))
        } catch {
            logger.debug("change log prune failed", metadata: ["error": "\(error)"])
        }
    }
}
