import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import TodoAPI
import TodoAgent
import TodoAuth
import TodoCore
import TodoStorage
import TodoTestSupport

/// Collects log events so tests can assert on what serve-api logs.
final class LogRecorder: Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }

    func logger() -> Logger {
        Logger(label: "test") { _ in RecordingHandler(recorder: self) }
    }

    fileprivate func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }
}

private struct RecordingHandler: LogHandler {
    let recorder: LogRecorder
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        recorder.append(.init(level: event.level, message: event.message.description, metadata: merged.mapValues(\.description)))
    }
}

/// Builds serve-api over `location` and runs `body` against it in the given testing mode.
func withAPI(
    _ location: DatabaseLocation = .sqliteMemory, timeout: Duration = .seconds(5), mode: TestingSetup = .router,
    recorder: LogRecorder = LogRecorder(), secrets: [String] = [testSecret], now: @escaping @Sendable () -> Date = Date.init,
    configure: (inout APIConfiguration) -> Void = { _ in },
    ownPool: Bool = false,
    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    var configuration = APIConfiguration()
    configuration.port = 0
    // SQLite databases here are private to the test and migrate at start; PostgreSQL is the process's shared,
    // already migrated pool, so parallel tests neither open pools of their own nor queue on the migration lock.
    // `ownPool` gives the app a pool of its own, as a separate replica has (it follows other replicas' writes
    // itself); the schema is still the shared one, migrated once by `SharedPostgres`: a migration of its own at the
    // start of a run would queue on the migration lock behind every other, past the app's database deadline.
    let onPostgres = StoreKind.available.contains(.postgres) && location == (try? StoreKind.postgres.location())
    let sharesPostgres = onPostgres && !ownPool
    if onPostgres { _ = try await SharedPostgres.database() }
    configuration.migrateOnStart = !onPostgres
    // Tests that share one PostgreSQL database would otherwise share the limits too; RateLimitTests sets its own.
    configuration.rateLimitPerMinute = 100_000
    configuration.authRateLimitPerMinute = 10_000
    configuration.authRateLimitPer10s = nil
    configuration.mailRateLimitPerMinute = 10_000
    configure(&configuration)
    let database = sharesPostgres
        ? try await SharedPostgres.borrowed()
        : try await DatabaseFactory.open(location, poolSize: 2, timeout: timeout, logger: recorder.logger())
    let app = buildAPIApplication(
        // A cheaper scrypt: the API's behaviour is the same, and sign-ins stay fast on a busy machine (the rate limit
        // tests count attempts within a minute). PasswordHasherTests check Better Auth's real parameters.
        APIDependencies(
            configuration: configuration, database: database, authSecrets: secrets, hasher: cheapHasher,
            now: now, logger: recorder.logger()
        )
    )
    try await app.test(mode, body)
}

let testSecret = "test-secret-0123456789-abcdefghijklmnop"

func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any] ?? [:]
}

extension OpenAIConfiguration {
    /// A test's scripted model server (see `ScriptedLLM`).
    static func scripted(_ baseURL: String, maxRetries: Int = 3) -> OpenAIConfiguration {
        OpenAIConfiguration(baseURL: baseURL, apiKey: nil, model: "gpt-4o-mini", maxRetries: maxRetries)
    }
}
