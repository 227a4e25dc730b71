import Logging
import ServiceLifecycle
import TodoCore
import TodoStorage
import UnixSignals

/// SIGHUP reloads what a running server can take without a restart: the TLS certificate, `BETTER_AUTH_SECRET`,
/// `OPENAI_API_KEY` and a PostgreSQL `DATABASE_URL` (new credentials get a new pool), each read again from its flag,
/// environment, `_FILE` file or `.env` (the usual ways to rotate them). Open connections, streams and sessions are
/// kept.
struct HangupReload: Service, CustomStringConvertible {
    /// ServiceLifecycle logs services by their description; the settings inside carry secrets.
    var description: String { "HangupReload" }

    /// Reads the settings again, exactly as at start.
    var load: @Sendable () throws -> Settings
    var initial: Settings
    var certificate: ServerCertificate?
    var authSecrets: Reloadable<[String]>?
    var modelKey: Reloadable<String?>?
    var database: (any SQLDatabase)?
    var logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            await reload()
        }
    }

    /// Applies what changed and logs the names of what did, never the values. A part that fails to load keeps
    /// running as it was.
    func reload() async {
        let fresh: Settings
        do {
            fresh = try load()
        } catch {
            logger.error("reload failed: the running configuration stays", metadata: ["reason": "\(error)"])
            return
        }
        var changed: [String] = []
        if let certificate {
            do {
                if try certificate.reload() { changed.append("TLS certificate") }
            } catch {
                logger.error("reload: the new TLS certificate or key does not load; the current one stays", metadata: ["reason": "\(error)"])
            }
        }
        if let authSecrets, !fresh.betterAuthSecrets.isEmpty, authSecrets.replace(with: fresh.betterAuthSecrets) {
            changed.append(fresh.betterAuthSecretVersions.isEmpty ? SettingKey.betterAuthSecret.rawValue : SettingKey.betterAuthSecrets.rawValue)
        }
        if let modelKey, modelKey.replace(with: fresh.openAIAPIKey) {
            changed.append(SettingKey.openAIAPIKey.rawValue)
        }
        if let database {
            // Compared with the pool that runs now, not with the start, so any sequence (A, B, back to A) applies.
            if case .postgres(let location) = fresh.database, let postgres = database as? PostgresBackend {
                do {
                    if try await postgres.replaceLocation(location) { changed.append(SettingKey.databaseURL.rawValue) }
                } catch {
                    logger.error("reload: the new DATABASE_URL does not connect; the current pool stays", metadata: ["reason": "\(Startup.describe(error))"])
                }
            } else if fresh.database != initial.database {
                // An SQLite file never moves while running, so the start is what runs now.
                logger.warning("reload: DATABASE_URL now names another kind of database or file; a restart applies it")
            }
        }
        logger.info("configuration reloaded", metadata: ["changed": "\(changed.isEmpty ? "nothing" : changed.joined(separator: ", "))"])
    }
}
