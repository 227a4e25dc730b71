import Foundation
import Testing
import TodoAuth
import TodoCore
import TodoTestSupport

@Suite struct KeptSecretTests {
    @Test func theKeptSecretIsMadeOnceAndReadableByTheOwnerOnly() throws {
        let path = URL(fileURLWithPath: TestFiles.temporaryPath("todo.sqlite")).deletingLastPathComponent()
            .appendingPathComponent("data").appendingPathComponent("auth-secret").path
        let first = try KeptSecret.loadOrCreate(at: path)
        #expect(first.utf8.count == 64)
        #expect(try KeptSecret.loadOrCreate(at: path) == first, "the same secret after a restart")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: (path as NSString).deletingLastPathComponent)
        #expect((folder[.posixPermissions] as? Int) == 0o700)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(leftovers == ["auth-secret"], "no temporary file stays behind")
    }

    @Test(arguments: ["", "short", String(repeating: "A", count: 63), String(repeating: "!", count: 64)])
    func aDamagedSecretIsAnErrorNeverAKey(content: String) throws {
        let folder = URL(fileURLWithPath: TestFiles.temporaryPath("todo.sqlite")).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("auth-secret")
        try content.write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: TodoError.self) { try KeptSecret.loadOrCreate(at: file.path) }
        #expect(error?.message.contains("is damaged") == true)
        #expect(error?.message.contains("delete it") == true)
    }
}
