import Foundation
import TodoCore

#if canImport(Glibc)
import Glibc
#endif

/// A signing secret made once and kept in a file readable by the owner only. The caller chooses the file: the
/// embedded default keeps it beside its SQLite database, so sessions stay valid across restarts with no configuration.
public enum KeptSecret {
    /// 48 random bytes in base64: always 64 characters, which is how a kept secret is recognised as whole.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<48).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
    }

    static func isWhole(_ secret: String) -> Bool {
        secret.utf8.count == 64 && Data(base64Encoded: secret)?.count == 48
    }

    /// Reads the kept secret, or makes it: written to a temporary file, synced, then linked into place, so a crash,
    /// a full disk or two processes starting at once can never leave a short or empty secret under the real name.
    /// A kept file that is not a whole secret is an error that says what to do; it is never used as a key.
    public static func loadOrCreate(at path: String) throws -> String {
        if let existing = try read(path) { return existing }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let secret = generate()
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw failure("cannot create", temporary) }
        defer { unlink(temporary) }
        let bytes = Array((secret + "\n").utf8)
        let written = write(fd, bytes, bytes.count)
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0 else { throw failure("cannot write", temporary) }
        // link(2) fails with EEXIST when another process won the race; its file is whole, since it was synced first.
        guard link(temporary, path) == 0 || errno == EEXIST else { throw failure("cannot create", path) }
        guard let kept = try read(path) else { throw failure("cannot read", path) }
        return kept
    }

    /// The secret in `path`, nil when there is no such file.
    static func read(_ path: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw failure("cannot read", path) }
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard isWhole(secret) else {
            throw TodoError.unavailable(
                "the kept signing secret \(path) is damaged (not 64 base64 characters); delete it to make a new one "
                    + "(this signs everyone out), or set BETTER_AUTH_SECRET"
            )
        }
        return secret
    }

    static func failure(_ what: String, _ path: String) -> TodoError {
        TodoError.unavailable("\(what) the secret file \(path): \(String(cString: strerror(errno)))")
    }
}
