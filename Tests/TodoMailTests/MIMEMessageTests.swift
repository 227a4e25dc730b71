import Foundation
import Testing
import TodoCore
@testable import TodoMail

@Suite struct MIMEMessageTests {
    let message = MailMessage(
        to: "ada@example.com", subject: "Réinitialiser", text: "Hello\n.\nline after a dot", html: "<p>Hi</p>", link: "https://x/y"
    )

    @Test func rendersBothBodiesAsBase64WithAnEncodedSubject() throws {
        let rendered = MIMEMessage.render(message, from: "Todo <noreply@example.com>", date: Date(timeIntervalSince1970: 784_111_777), messageID: "m@example.com")
        #expect(rendered.contains("Subject: =?UTF-8?B?\(Data("Réinitialiser".utf8).base64EncodedString())?=\r\n"))
        #expect(rendered.contains("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"))
        #expect(rendered.contains("Content-Type: multipart/alternative; boundary="))
        #expect(rendered.contains(Data(message.text.utf8).base64EncodedString()))
        #expect(rendered.contains("Content-Type: text/html; charset=utf-8"))
        #expect(rendered.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 998 })
        #expect(!rendered.contains("\n\n"), "every line ends in CRLF")
    }

    @Test func dotStuffingDoublesLeadingDotsAndEndsTheData() {
        #expect(MIMEMessage.dotStuffed("a\r\n.b\r\n") == "a\r\n..b\r\n.\r\n")
    }

    @Test func headersCannotBeInjected() {
        var hostile = message
        hostile.subject = "Hi\r\nBcc: victim@example.com"
        let rendered = MIMEMessage.render(hostile, from: "noreply@example.com", date: Date(), messageID: "m@x")
        #expect(!rendered.contains("\r\nBcc:"))
    }
}
