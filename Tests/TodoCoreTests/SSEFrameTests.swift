import Testing
import TodoCore

/// What `SSEFrame` writes, `SSEParser` reads back unchanged, including text with newlines and keep-alive comments.
@Suite struct SSEFrameTests {
    @Test(arguments: [#"{"delta":"hi"}"#, "two\nlines", "", "trailing\n"])
    func framesReadBackExactly(data: String) {
        var parser = SSEParser()
        let events = parser.feed(Array((SSEFrame.keepAlive + SSEFrame.event("text-delta", data: data)).utf8))
        #expect(events == [SSEParser.Event(event: "text-delta", data: data)])
    }

    @Test func oneLineDataIsOneField() {
        #expect(SSEFrame.event("message", data: "{}") == "event: message\ndata: {}\n\n")
    }
}
