import Crypto
import Foundation
import NIOPosix
import TodoCore
import _CryptoExtras

/// Hashes and verifies passwords in Better Auth's format, so accounts move between the two in both directions.
///
/// Better Auth stores `hexsalt:hexkey` where the key is scrypt(N=16384, r=16, p=1, dkLen=64) of the NFKC-normalised
/// password, and the salt input is the 32-character hex string itself (not the 16 bytes it encodes).
public struct PasswordHasher: Sendable {
    public static let minimumLength = 8
    public static let maximumLength = 128

    let cost: Int
    let blockSize: Int
    let parallelism: Int
    let keyLength: Int
    let threadPool: NIOThreadPool

    /// Better Auth's parameters; tests may lower `cost` to run faster.
    public init(cost: Int = 16384, blockSize: Int = 16, parallelism: Int = 1, keyLength: Int = 64,
                threadPool: NIOThreadPool = .singleton) {
        self.cost = cost
        self.blockSize = blockSize
        self.parallelism = parallelism
        self.keyLength = keyLength
        self.threadPool = threadPool
    }

    /// Checks the length rule: 8–128 characters, refused with Better Auth's codes and words (400).
    public static func validate(_ password: String) throws(TodoError) {
        guard password.count >= minimumLength else {
            throw .badInput(code: "PASSWORD_TOO_SHORT", message: "Password too short", field: "password")
        }
        guard password.count <= maximumLength else {
            throw .badInput(code: "PASSWORD_TOO_LONG", message: "Password too long", field: "password")
        }
    }

    /// A new `hexsalt:hexkey` for `password`. scrypt takes tens of milliseconds and 16 MiB, so it runs on the
    /// thread pool, never on an event loop or a cooperative thread.
    public func hash(_ password: String) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = Hex.encode((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let key = try await derive(password, salt: salt)
        return salt + ":" + Hex.encode(key)
    }

    /// True when `password` matches `stored`; a malformed stored value never matches.
    public func verify(_ password: String, against stored: String) async throws -> Bool {
        let parts = stored.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let expected = Hex.decode(parts[1]), expected.count == keyLength else { return false }
        let derived = try await derive(password, salt: String(parts[0]))
        return ConstantTime.equal(derived, expected)
    }

    private func derive(_ password: String, salt: String) async throws -> [UInt8] {
        let normalized = Array(password.precomposedStringWithCompatibilityMapping.utf8)
        let (cost, blockSize, parallelism, keyLength) = (self.cost, self.blockSize, self.parallelism, self.keyLength)
        return try await threadPool.runIfActive {
            let key = try KDF.Scrypt.deriveKey(
                from: normalized, salt: Array(salt.utf8), outputByteCount: keyLength, rounds: cost,
                blockSize: blockSize, parallelism: parallelism, maxMemory: 128 * cost * blockSize * 2
            )
            return key.withUnsafeBytes { Array($0) }
        }
    }
}
