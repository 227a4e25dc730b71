import NIOCore

/// One reply of an SMTP server: its three-digit code and the text of every line.
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    var isPositive: Bool { (200..<400).contains(code) }
    /// 5xx: the server refused for good; sending the same again will fail the same way.
    var isPermanent: Bool { code >= 500 }
    var text: String { lines.joined(separator: " ") }
}

/// Splits the server's bytes into replies: `250-first`, `250-more`, `250 last` (RFC 5321 §4.2). A line longer than
/// 4 KiB, a reply of more than 100 lines, or a line that does not start with a code ends the connection: that is not
/// a mail server talking, and it must not make us hold its output.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    static let maximumLine = 4096
    static let maximumLines = 100
    private var pending: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLine { throw SMTPError.protocolViolation("reply line too long") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        let utf8 = Array(line.utf8)
        guard utf8.count >= 3, utf8[0..<3].allSatisfy({ (48...57).contains($0) }), let code = Int(String(line.prefix(3))) else {
            throw SMTPError.protocolViolation("not an SMTP reply: \(line.prefix(80))")
        }
        let more = utf8.count > 3 && utf8[3] == UInt8(ascii: "-")
        guard pending.count < Self.maximumLines else { throw SMTPError.protocolViolation("reply longer than \(Self.maximumLines) lines") }
        pending.append(utf8.count > 4 ? String(line.dropFirst(4)) : "")
        guard !more else { return .continue }
        context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
        pending = []
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue, buffer.readableBytes > 0 {}
        return .needMoreData
    }
}

/// Why a message could not be handed to the mail server.
public enum SMTPError: Error, Equatable, CustomStringConvertible {
    /// The server answered with an error: `permanent` for 5xx, which a retry will not change.
    case refused(step: String, code: Int, text: String)
    case protocolViolation(String)
    /// The server offers no STARTTLS, or TLS is required and failed: nothing, least of all a password, goes in clear.
    case tlsUnavailable(String)
    case closed

    public var isPermanent: Bool {
        switch self {
        case .refused(_, let code, _): code >= 500
        case .tlsUnavailable: true
        case .protocolViolation, .closed: false
        }
    }

    public var description: String {
        switch self {
        case .refused(let step, let code, let text): "mail server refused \(step): \(code) \(text)"
        case .protocolViolation(let what): "mail server protocol error: \(what)"
        case .tlsUnavailable(let what): what
        case .closed: "mail server closed the connection"
        }
    }
}
