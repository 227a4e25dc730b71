import NIOCore
import NIOEmbedded
import Testing
@testable import TodoMail

@Suite struct SMTPReplyDecoderTests {
    func decode(_ text: String) throws -> [SMTPReply] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        try channel.writeInbound(ByteBuffer(string: text))
        var replies: [SMTPReply] = []
        while let reply = try channel.readInbound(as: SMTPReply.self) { replies.append(reply) }
        return replies
    }

    @Test func multiLineRepliesArriveWhole() throws {
        let replies = try decode("220 mail.example.com ready\r\n250-mail.example.com\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n")
        #expect(replies == [
            SMTPReply(code: 220, lines: ["mail.example.com ready"]),
            SMTPReply(code: 250, lines: ["mail.example.com", "STARTTLS", "AUTH PLAIN LOGIN"]),
        ])
    }

    @Test func aHostileServerCannotMakeUsHoldItsOutput() {
        #expect(throws: SMTPError.self) { try decode(String(repeating: "250-x\r\n", count: 200)) }
        #expect(throws: SMTPError.self) { try decode(String(repeating: "x", count: 5000)) }
        #expect(throws: SMTPError.self) { try decode("HTTP/1.1 200 OK\r\n") }
    }
}
