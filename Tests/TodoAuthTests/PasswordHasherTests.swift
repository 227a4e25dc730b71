import Foundation
import Testing
import TodoAuth
import TodoCore
import TodoTestSupport

@Suite(.heavy) struct PasswordHasherTests {
    /// Made with Python's hashlib.scrypt(NFKC(password), salt=hexsalt.encode(), n=16384, r=16, p=1, dklen=64),
    /// independently of this code, in Better Auth's `hexsalt:hexkey` form.
    static let pythonHashes: [(String, String)] = [
        ("correct horse battery staple", "efbc8b93294a7619cef4fe386258e63d:b5a34b95672331df5c728260da22de3d2d40c275418bc85ba9e303112a555fc1041406bd5d581109cc7c46507902bc03d5d20b7b008715c8ef9ffcf3f635133f"),
        ("pässwörd-ﬁ", "7c41254a5c7f303dd4bbf21c2c02edae:0fe80c558536f6e350c04bfec80313bfe4dd37b22585e7a087f8c5be8083db569fa1b32102c4874dcca4a97bc897d1ed47e1b6ef613401ea28dd8f665fde5eef"),
        ("12345678", "722814c6d702323aa54da919bdc20a1b:2eec8a106238a62ae0c3185f5577f30cc8ef8f45a8e610e67229c4ccdeb99dc959d53335e13377553bd0f1818452214acf84b7c68e2b1a493bde2a2fe2dee6ba"),
    ]

    @Test(arguments: pythonHashes)
    func verifiesHashesMadeElsewhere(password: String, stored: String) async throws {
        let hasher = PasswordHasher()
        #expect(try await hasher.verify(password, against: stored))
        #expect(try await !hasher.verify(password + "x", against: stored))
    }

    @Test func compatibilityFormsOfAPasswordAreTheSamePassword() async throws {
        // NFKC folds the "ﬁ" ligature into "fi", as Better Auth does before hashing.
        #expect(try await PasswordHasher().verify("pässwörd-fi", against: Self.pythonHashes[1].1))
    }

    @Test func newHashesHaveBetterAuthsShapeAndVerify() async throws {
        let hasher = PasswordHasher()
        let stored = try await hasher.hash("a long enough password")
        let parts = stored.split(separator: ":")
        #expect(parts.count == 2)
        #expect(parts[0].count == 32)
        #expect(parts[1].count == 128)
        #expect(stored == stored.lowercased())
        #expect(try await hasher.verify("a long enough password", against: stored))
        #expect(try await hasher.hash("a long enough password") != stored, "every hash has its own salt")
    }

    @Test(arguments: ["", "nocolon", "zz:zz", "abcd:1234", "efbc8b93294a7619cef4fe386258e63d:"])
    func malformedStoredValuesNeverMatch(stored: String) async throws {
        #expect(try await !PasswordHasher().verify("whatever1", against: stored))
    }

    @Test func passwordsMustBeEightToOneHundredTwentyEightCharacters() throws {
        #expect(throws: TodoError.badInput(code: "PASSWORD_TOO_SHORT", message: "Password too short", field: "password")) {
            try PasswordHasher.validate("short")
        }
        #expect(throws: TodoError.badInput(code: "PASSWORD_TOO_LONG", message: "Password too long", field: "password")) {
            try PasswordHasher.validate(String(repeating: "p", count: 129))
        }
        try PasswordHasher.validate(String(repeating: "p", count: 8))
        try PasswordHasher.validate(String(repeating: "p", count: 128))
    }
}

@Suite struct SignedCookieTests {
    @Test func signsLikeBetterAuthAndVerifies() throws {
        let secret = "better-auth-secret-123456789-abcdef"
        let value = SignedCookie.sign("abc123TOKEN", secret: secret)
        // Independently: printf %s abc123TOKEN | openssl dgst -sha256 -hmac "$secret" -binary | base64
        #expect(value == "abc123TOKEN.FEmnf%2B8PU4SS%2BO6TyAnXHsCzNe4nD0jhUWmagdxKafc%3D")
        #expect(!value.contains("+") && !value.contains("/") && !value.contains("="), "percent-encoded")
        #expect(SignedCookie.verify(value, secrets: [secret]) == "abc123TOKEN")
        #expect(SignedCookie.verify(value, secrets: ["newer-secret-that-did-not-sign-it-000", secret]) == "abc123TOKEN")
    }

    @Test func rejectsTamperedOrForeignCookies() {
        let secret = "better-auth-secret-123456789-abcdef"
        let value = SignedCookie.sign("abc123TOKEN", secret: secret)
        #expect(SignedCookie.verify(value.replacingOccurrences(of: "abc123", with: "abc124"), secrets: [secret]) == nil)
        #expect(SignedCookie.verify(value, secrets: ["another-secret-entirely-0123456789"]) == nil)
        #expect(SignedCookie.verify("abc123TOKEN", secrets: [secret]) == nil)
        #expect(SignedCookie.verify("", secrets: [secret]) == nil)
    }

    @Test func tokensAreThirtyTwoAlphanumericCharacters() {
        let tokens = (0..<100).map { _ in RandomID.make() }
        #expect(tokens.allSatisfy { $0.count == 32 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        #expect(Set(tokens).count == 100)
    }
}

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3"))
struct PasswordInteropTests {
    /// The reverse direction: a hash we make verifies with Python's scrypt, as Better Auth would check it.
    @Test func ourHashesVerifyWithAnIndependentScrypt() async throws {
        let password = "pässwörd-ﬁ 2026"
        let stored = try await PasswordHasher().hash(password)
        let script = """
            import hashlib, sys, unicodedata
            salt, key = sys.argv[2].split(":")
            derived = hashlib.scrypt(unicodedata.normalize("NFKC", sys.argv[1]).encode(), salt=salt.encode(),
                                     n=16384, r=16, p=1, dklen=64, maxmem=128 * 1024 * 1024)
            print("match" if derived.hex() == key else "mismatch")
            """
        let output = try await Subprocess.output("/usr/bin/python3", ["-c", script, password, stored])
        #expect(output == "match\n")
    }
}
