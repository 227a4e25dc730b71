/// One versioned schema change, with its statements for each dialect (run one statement per call,
/// because PostgreSQL refuses several in one prepared statement and SQLite silently runs only the first).
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sqlite: [String]
    public let postgres: [String]

    public init(version: Int, name: String, sqlite: [String], postgres: [String]) {
        self.version = version
        self.name = name
        self.sqlite = sqlite
        self.postgres = postgres
    }

    public func statements(for dialect: SQLDialect) -> [String] {
        dialect == .sqlite ? sqlite : postgres
    }

    /// FNV-1a over the dialect's statements: detects a migration edited after it was applied.
    public func checksum(for dialect: SQLDialect) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for statement in statements(for: dialect) {
            for byte in statement.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            hash ^= 0x1e
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
