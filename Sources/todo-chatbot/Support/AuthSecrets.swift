import Foundation
import TodoAuth
import TodoCore

/// Where the signing secrets come from: `BETTER_AUTH_SECRETS` and `BETTER_AUTH_SECRET` when set; otherwise the embedded store keeps one in
/// `auth-secret` beside its SQLite file (a fresh one for `:memory:`). PostgreSQL needs the setting, since every
/// replica must sign with the same secret; this is the one place that says so.
enum AuthSecrets {
    static let keptFileName = "auth-secret"

    /// The secrets, newest first; a missing one with PostgreSQL is a configuration error (exit code 2).
    static func resolve(_ settings: Settings) throws -> [String] {
        if !settings.betterAuthSecrets.isEmpty { return settings.betterAuthSecrets }
        switch settings.database {
        case .sqliteMemory:
            return [KeptSecret.generate()]
        case .sqliteFile(let path):
            let file = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(keptFileName).path
            do {
                return [try KeptSecret.loadOrCreate(at: file)]
            } catch {
                throw Startup.fail(Startup.describe(error))
            }
        case .postgres:
            throw Startup.fail(
                "configuration error: \(SettingKey.betterAuthSecret.rawValue): required when DATABASE_URL is PostgreSQL "
                    + "(generate one with: openssl rand -base64 32)",
                code: 2
            )
        }
    }
}
