import Foundation
import Logging
import Testing
@testable import todo_chatbot
import TodoCore

@Suite struct LineLogHandlerTests {
    let date = Date(timeIntervalSince1970: 1_796_115_600)

    @Test func jsonFormatIsOneParseableObjectPerLine() throws {
        let handler = LineLogHandler(label: "serve-api", level: .info, format: .json)
        let line = handler.render(
            level: .warning, message: "multi\nline \"quoted\"", metadata: ["request_id": "abc", "status": "503"], date: date
        )
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object == [
            "ts": "2026-12-01T09:00:00.000Z", "level": "warning", "logger": "serve-api",
            "msg": "multi\nline \"quoted\"", "request_id": "abc", "status": "503",
        ])
    }

    @Test func textFormatIsReadable() {
        let handler = LineLogHandler(label: "serve-api", level: .info, format: .text)
        let line = handler.render(level: .info, message: "request", metadata: ["status": "200", "path": "/health"], date: date)
        #expect(line == "2026-12-01T09:00:00.000Z INFO request path=/health status=200")
    }
}
