import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import TodoCore

/// Hands one message to the mail server per connection: greeting, EHLO, STARTTLS (or TLS from the start), AUTH,
/// MAIL FROM, RCPT TO, DATA, QUIT. Messages are rare (a reset, a verification), so no connection is kept open.
public struct SMTPClient: Sendable {
    let configuration: SMTPConfiguration
    /// The TLS client context, or why it could not be made (an unreadable CA file): every send then fails with it.
    let tls: Result<NIOSSLContext, any Error>?
    /// The name given in EHLO.
    let heloName: String

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
        if configuration.security == .none {
            tls = nil
        } else {
            tls = Result {
                var settings = TLSConfiguration.makeClientConfiguration()
                settings.minimumTLSVersion = .tlsv12
                if let caFile = configuration.caFile {
                    settings.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
                }
                return try NIOSSLContext(configuration: settings)
            }
        }
        let host = ProcessInfo.processInfo.hostName
        heloName = host.isEmpty || host.contains(where: { $0.isWhitespace }) ? "localhost" : host
    }

    /// Sends the message, or throws: `SMTPError` (its `isPermanent` says whether a retry can help), a TLS or
    /// connection error, or a deadline error after `configuration.timeout`.
    public func send(_ message: MailMessage) async throws {
        let rendered = MIMEMessage.render(
            message, from: configuration.from, date: Date(), messageID: "\(RandomID.make(length: 24))@\(configuration.envelopeFrom.split(separator: "@").last ?? "localhost")"
        )
        try await withDeadline(configuration.timeout, "sending mail to \(configuration.host)") {
            try await deliver(to: message.to, data: MIMEMessage.dotStuffed(rendered))
        }
    }

    private func deliver(to recipient: String, data: String) async throws {
        let (host, tls, implicit) = (configuration.host, try self.tls?.get(), configuration.security == .implicitTLS)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicit, let tls {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(host)))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            var dialogue = SMTPDialogue(outbound: outbound, next: { try await replies.next() })
            try await dialogue.expect("greeting", 220)
            var extensions = try await dialogue.hello(heloName)
            if configuration.security == .startTLS {
                if extensions.contains("STARTTLS"), let tls {
                    try await dialogue.command("STARTTLS", expecting: 220)
                    try await channel.channel.pipeline.addHandler(
                        try NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(host)), position: .first
                    )
                    extensions = try await dialogue.hello(heloName)
                } else if !configuration.isLoopback || configuration.username != nil {
                    throw SMTPError.tlsUnavailable(
                        "mail server \(host) offers no STARTTLS; refusing to send in clear (use smtps://, or ?tls=off on a private network)"
                    )
                }
            }
            if let username = configuration.username, let password = configuration.password {
                try await dialogue.authenticate(username: username, password: password, extensions: extensions)
            }
            try await dialogue.command("MAIL FROM:<\(configuration.envelopeFrom)>", expecting: 250)
            try await dialogue.command("RCPT TO:<\(MIMEMessage.headerSafe(recipient))>", expecting: 250, 251)
            try await dialogue.command("DATA", expecting: 354)
            try await dialogue.send(data)
            try await dialogue.expect("message", 250)
            // The message is accepted; a server that hangs up instead of answering QUIT changes nothing.
            try? await dialogue.command("QUIT", expecting: 221)
        }
    }

    /// SNI takes a name, not an address.
    static func sniName(_ host: String) -> String? {
        host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
    }
}

/// The command-and-reply half of a session.
struct SMTPDialogue {
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let next: () async throws -> SMTPReply?
    var step = "greeting"

    mutating func expect(_ step: String, _ codes: Int...) async throws {
        self.step = step
        _ = try await reply(codes)
    }

    @discardableResult
    mutating func command(_ line: String, expecting codes: Int..., shown: String? = nil) async throws -> SMTPReply {
        step = shown ?? String(line.prefix { $0 != ":" && $0 != " " })
        try await send(line + "\r\n")
        return try await reply(codes)
    }

    func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// EHLO, and the extensions the server lists (upper-cased keywords, `AUTH PLAIN LOGIN` kept whole).
    mutating func hello(_ name: String) async throws -> Set<String> {
        let reply = try await command("EHLO \(name)", expecting: 250)
        var extensions = Set<String>()
        for line in reply.lines.dropFirst() {
            let upper = line.uppercased()
            extensions.insert(String(upper.split(separator: " ").first ?? ""))
            if upper.hasPrefix("AUTH") { extensions.formUnion(upper.split(separator: " ").dropFirst().map { "AUTH=" + $0 }) }
        }
        return extensions
    }

    /// AUTH PLAIN when offered, else AUTH LOGIN; the password never appears in an error.
    mutating func authenticate(username: String, password: String, extensions: Set<String>) async throws {
        if extensions.contains("AUTH=PLAIN") || !extensions.contains("AUTH=LOGIN") {
            let plain = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            try await command("AUTH PLAIN \(plain)", expecting: 235, shown: "AUTH PLAIN")
        } else {
            try await command("AUTH LOGIN", expecting: 334)
            try await command(Data(username.utf8).base64EncodedString(), expecting: 334, shown: "AUTH LOGIN user")
            try await command(Data(password.utf8).base64EncodedString(), expecting: 235, shown: "AUTH LOGIN password")
        }
    }

    private func reply(_ codes: [Int]) async throws -> SMTPReply {
        guard let reply = try await next() else { throw SMTPError.closed }
        guard codes.contains(reply.code) else { throw SMTPError.refused(step: step, code: reply.code, text: String(reply.text.prefix(200))) }
        return reply
    }
}
