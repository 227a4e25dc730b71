import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization
import TodoCore

/// Feeds a replica's `ChangeTracker` with every replica's task writes while task pages are being read here.
///
/// A trigger on `tasks` (schema v8) notifies `channel` with the user id of every row written, by any replica or
/// any other client, at commit. This LISTENs on a connection of its own, outside the pool, and every second sends a
/// read-only heartbeat on it (no transaction id, nothing written): PostgreSQL hands a listening session the
/// notifications of every commit before it answers the next statement, so an answer shows that every change
/// committed before the heartbeat was sent has arrived, and the tracker trusts the feed for `trust` after that.
/// The heartbeat also checks the trigger is there and enabled, and that the same server process still answers (a
/// transaction-mode pooler hands each transaction any server connection, and a LISTEN on one of them is not
/// this session's; Neon's `-pooler` hosts are such a pooler, so the feed is not even tried there). A heartbeat
/// that fails or does not come back in time ends the trust: nothing is served from a cache until the feed is
/// proven again. Nobody reading pages for `idleAfter` closes the connection, so an idle replica does not keep a
/// serverless database (Neon) awake.
struct TaskChangeListener: Sendable {
    static let channel = "todo_task_changes"
    /// The payload a TRUNCATE of `tasks` sends: everyone's tasks changed.
    static let everyone = "*"

    let tracker: ChangeTracker
    let location: @Sendable () -> PostgresLocation
    let logger: Logger
    var interval = Duration.seconds(1)
    var trust = Duration.seconds(3)
    var idleAfter = Duration.seconds(60)

    /// Until cancelled: waits for pages to be read, then follows the feed while they are.
    func run() async {
        var pause = Duration.milliseconds(250)
        while !Task.isCancelled {
            guard wanted else {
                try? await Task.sleep(for: .milliseconds(250))
                continue
            }
            // Checked once pages are read, so commands that read none (`migrate`, `chat`) say nothing about it.
            if location().host.contains("-pooler.") {
                logger.notice("task page cache off: DATABASE_URL names a transaction-mode pooler, which does not keep LISTEN; use the direct host for it")
                return
            }
            do {
                try await follow()
                pause = .milliseconds(250)
            } catch is CancellationError {
                break
            } catch let error as FeedRefused {
                logger.notice("task page cache off: \(error)")
                tracker.lost()
                return
            } catch where Task.isCancelled {
                break
            } catch {
                logger.info("task change feed interrupted; task pages are read from the database until it is back", metadata: ["error": "\(PostgresErrors.translate(error))"])
                tracker.lost()
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(10))
            }
            tracker.lost()
        }
        tracker.lost()
    }

    /// Whether a page was read recently enough that the feed is worth following.
    private var wanted: Bool {
        tracker.lastAsked.map { ContinuousClock.now - $0 < idleAfter } ?? false
    }

    /// One connection's worth of following: returns when nobody reads pages any more; throws when the connection fails.
    private func follow() async throws {
        let location = location()
        // A server that accepts TCP and never answers must not hold the feed (or shutdown) forever.
        let connection = try await withDeadline(.seconds(10), "PostgreSQL") {
            try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: try PostgresConfiguration.connection(location), id: 1,
                logger: logger
            ).get()
        }
        // Notifications are applied on the connection's event loop as they arrive, in the order the server sent them,
        // so every one sent before a heartbeat's answer is applied before that answer is read. (A handler rather than
        // PostgresNIO's `listen(on:)`, whose start can wait forever when cancelled at the wrong moment.)
        let tracker = tracker
        let listener = connection.addListener(channel: Self.channel) { _, notification in
            if notification.payload == Self.everyone {
                tracker.changedEverything()
            } else {
                tracker.changed(scope: notification.payload)
            }
        }
        do {
            try await heartbeats(connection, at: location)
        } catch {
            listener.stop()
            try? await connection.close()
            throw error
        }
        listener.stop()
        try? await connection.close()
    }

    /// Proves the feed every `interval` while pages are read; trust ends with them (or with a new database).
    private func heartbeats(_ connection: PostgresConnection, at location: PostgresLocation) async throws {
        defer { tracker.lost() }
        var listener: Int32?
        while wanted {
            // SIGHUP moved the pool to another database (`replaceLocation`): follow that one's announcements.
            guard self.location() == location else { return }
            let sent = ContinuousClock.now
            let (process, listening, announced) = try await withDeadline(trust, "PostgreSQL") {
                // Both triggers present and firing in ordinary sessions ('O' origin, 'A' always); and this server
                // process is the one that LISTENs.
                let rows = try await connection.query(
                    """
                    SELECT pg_backend_pid(), \(Self.channel) = ANY (SELECT pg_listening_channels()),
                    (SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass('tasks')
                     AND tgname IN ('tasks_change_notify', 'tasks_truncate_notify') AND tgenabled IN ('O', 'A')) = 2
                    """,
                    logger: logger
                )
                for try await row in rows.decode((Int32, Bool, Bool).self) { return row }
                throw FeedEnded()
            }
            guard listening, listener == nil || listener == process else { throw FeedRefused.pooled }
            listener = process
            // Without the triggers (not migrated yet, or disabled) nothing is announced: nothing is trusted.
            if announced { tracker.confirmed(until: sent + trust) } else { tracker.lost() }
            try await Task.sleep(for: interval)
        }
    }
}

/// A heartbeat came back without its row.
private struct FeedEnded: Error, CustomStringConvertible {
    var description: String { "the heartbeat got no answer" }
}

/// The feed cannot work with this database.
private enum FeedRefused: Error, CustomStringConvertible {
    case pooled

    var description: String {
        "the heartbeat reached a server process that does not LISTEN, or another one than before (a transaction-mode pooler), so announcements would be lost; use a direct connection"
    }
}
