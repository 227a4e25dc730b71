import Foundation
import NIOCore
import TodoCore

/// Where the mail server is and how to talk to it, from `SMTP_URL` and `MAIL_FROM`.
public struct SMTPConfiguration: Sendable, Equatable {
    public enum Security: Sendable, Equatable {
        /// `smtp://`: STARTTLS before anything else; a server that does not offer it gets nothing, unless it is on
        /// this machine (a local relay) and no password is to be sent.
        case startTLS
        /// `smtps://`: TLS from the first byte (port 465).
        case implicitTLS
        /// `smtp://…?tls=off`: plain text, chosen on purpose (a relay inside a private network).
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// The `From` header as written in `MAIL_FROM` (`Todo <noreply@example.com>` or a bare address).
    public var from: String
    /// The address alone, for `MAIL FROM`.
    public var envelopeFrom: String
    /// A PEM file of the CA that signed the server's certificate (`SMTP_CA_FILE`), for a private mail server.
    public var caFile: String?
    /// One message, connection to `QUIT`, may take this long.
    public var timeout: Duration = .seconds(30)

    /// Parses `smtp://user:pass@host:587`, `smtps://user:pass@host:465` or `smtp://host:25?tls=off`.
    public init(url: String, from: String, caFile: String? = nil) throws(ConfigError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else { throw ConfigError(key: "SMTP_URL", problem: "expected smtp://user:password@host:587 or smtps://user:password@host:465") }
        let tlsOff = components.queryItems?.contains { $0.name == "tls" && $0.value?.lowercased() == "off" } ?? false
        switch scheme {
        case "smtp": security = tlsOff ? .none : .startTLS
        case "smtps":
            guard !tlsOff else { throw ConfigError(key: "SMTP_URL", problem: "smtps:// is TLS by definition; use smtp://…?tls=off for plain text") }
            security = .implicitTLS
        default: throw ConfigError(key: "SMTP_URL", problem: "the scheme must be smtp or smtps, not \(scheme)")
        }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? (security == .implicitTLS ? 465 : 587)
        guard (1...65535).contains(port) else { throw ConfigError(key: "SMTP_URL", problem: "port \(port) is out of range") }
        username = components.user?.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 }
        password = components.password?.removingPercentEncoding
        if username != nil, password == nil { throw ConfigError(key: "SMTP_URL", problem: "a user name needs a password (user:password@host)") }
        self.from = from.trimmingCharacters(in: .whitespaces)
        guard let address = Self.address(in: self.from) else {
            throw ConfigError(key: "MAIL_FROM", problem: "expected an address such as noreply@example.com or Todo <noreply@example.com>")
        }
        envelopeFrom = address
        self.caFile = caFile
    }

    /// The address in `name <address>` or a bare address; nil when it is not one, or holds what would break a header.
    static func address(in from: String) -> String? {
        guard !from.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        var address = from
        if let open = from.lastIndex(of: "<"), from.hasSuffix(">") {
            address = String(from[from.index(after: open)..<from.index(before: from.endIndex)])
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !address.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
        else { return nil }
        return address
    }

    /// Whether the server is on this machine, where a plain connection never crosses a network.
    var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

extension SMTPConfiguration: CustomStringConvertible {
    /// The server without the password, for logs.
    public var description: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        return "\(scheme)://\(username.map { "\($0)@" } ?? "")\(host):\(port)" + (security == .none ? "?tls=off" : "")
    }
}
