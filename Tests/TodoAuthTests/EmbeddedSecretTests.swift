import Foundation
import Testing
import TodoAuth
import TodoCore
import TodoTestSupport

@Suite struct EmbeddedSecretTests {
    @Test func theKeptSecretIsMadeOnceAndReadableByTheOwnerOnly() throws {
        let database = TestFiles.temporaryPath("todo.sqlite")
        var settings = Settings()
        settings.database = .sqliteFile(path: database)
        let first = try EmbeddedSecret.resolve(settings)
        #expect(first.count == 1 && first[0].utf8.count == 64)
        #expect(try EmbeddedSecret.resolve(settings) == first, "the same secret after a restart")
        let path = URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent(EmbeddedSecret.fileName).path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: (path as NSString).deletingLastPathComponent)
        #expect((folder[.posixPermissions] as? Int) == 0o700)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(leftovers == [EmbeddedSecret.fileName], "no temporary file stays behind")
    }

    @Test(arguments: ["", "short", String(repeating: "A", count: 63), String(repeating: "!", count: 64)])
    func aDamagedSecretIsAnErrorNeverAKey(content: String) throws {
        let database = TestFiles.temporaryPath("todo.sqlite")
        let folder = URL(fileURLWithPath: database).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try content.write(to: folder.appendingPathComponent(EmbeddedSecret.fileName), atomically: true, encoding: .utf8)
        var settings = Settings()
        settings.database = .sqliteFile(path: database)
        let error = #expect(throws: TodoError.self) { try EmbeddedSecret.resolve(settings) }
        #expect(error?.message.contains("is damaged") == true)
        #expect(error?.message.contains("delete it") == true)
    }
}
