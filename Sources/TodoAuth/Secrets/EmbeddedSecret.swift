import Foundation
import TodoCore

#if canImport(Glibc)
import Glibc
#endif

/// The signing secret of the embedded default: made once, kept beside the SQLite file, readable by the owner only.
///
/// It lets `swift run todo-chatbot serve-api` work with no configuration while keeping sessions valid across
/// restarts. With PostgreSQL, `BETTER_AUTH_SECRET` is required instead, since replicas must share it.
public enum EmbeddedSecret {
    public static let fileName = "auth-secret"

    /// The secrets of `BETTER_AUTH_SECRET` (newest first) when set; otherwise the kept secret of the SQLite store
    /// (or a fresh one for `:memory:`).
    public static func resolve(_ settings: Settings) throws -> [String] {
        if !settings.betterAuthSecrets.isEmpty { return settings.betterAuthSecrets }
        switch settings.database {
        case .sqliteMemory: return [generate()]
        case .sqliteFile(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            return [try loadOrCreate(at: folder.appendingPathComponent(fileName).path)]
        case .postgres:
            throw TodoError.validation(field: SettingKey.betterAuthSecret.rawValue, message: "BETTER_AUTH_SECRET is required with PostgreSQL")
        }
    }

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<48).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
    }

    /// Reads the file, or creates it exclusively with mode 0600 so two processes starting at once agree on one secret.
    static func loadOrCreate(at path: String) throws -> String {
        if let existing = try? String(contentsOfFile: path, encoding: .utf8), existing.utf8.count >= 32 {
            return existing.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true
        )
        let secret = generate()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST, let existing = try? String(contentsOfFile: path, encoding: .utf8) {
                return existing.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            throw TodoError.unavailable("cannot create the secret file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let bytes = Array(secret.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            throw TodoError.unavailable("cannot write the secret file \(path)")
        }
        return secret
    }
}
