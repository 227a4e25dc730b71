import Logging
import ServiceLifecycle
import TodoCore
import UnixSignals

/// SIGHUP reloads what a running server can take without a restart: the TLS certificate, `BETTER_AUTH_SECRET`
/// and `OPENAI_API_KEY`, each read again from its flag, environment, `_FILE` file or `.env` (the usual ways to
/// rotate them). Open connections, streams and sessions are kept.
struct HangupReload: Service, CustomStringConvertible {
    /// ServiceLifecycle logs services by their description; the settings inside carry secrets.
    var description: String { "HangupReload" }

    /// Reads the settings again, exactly as at start.
    var load: @Sendable () throws -> Settings
    var initial: Settings
    var certificate: ServerCertificate?
    var authSecrets: Reloadable<[String]>?
    var modelKey: Reloadable<String?>?
    var logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            reload()
        }
    }

    /// Applies what changed and logs the names of what did, never the values. A part that fails to load keeps
    /// running as it was.
    func reload() {
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
            changed.append(SettingKey.betterAuthSecret.rawValue)
        }
        if let modelKey, modelKey.replace(with: fresh.openAIAPIKey) {
            changed.append(SettingKey.openAIAPIKey.rawValue)
        }
        if fresh.database != initial.database {
            logger.warning("reload: DATABASE_URL changed; the connection pool keeps the one it started with until a restart")
        }
        logger.info("configuration reloaded", metadata: ["changed": "\(changed.isEmpty ? "nothing" : changed.joined(separator: ", "))"])
    }
}
