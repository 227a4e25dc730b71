import Foundation
import TodoCore

/// Writes a `MailMessage` as RFC 5322 text: headers, then `multipart/alternative` with the text and the HTML body,
/// each base64 in 76-character lines (any UTF-8 goes through any server). The subject is an RFC 2047 word when it is
/// not plain ASCII. Header values never carry a line break: they come from our own templates and checked addresses.
enum MIMEMessage {
    static func render(_ message: MailMessage, from: String, date: Date, messageID: String) -> String {
        let boundary = "=_todo_" + RandomID.make(length: 24)
        let headers = [
            "From: \(headerSafe(from))",
            "To: <\(headerSafe(message.to))>",
            "Subject: \(encodedWord(message.subject))",
            "Date: \(HTTPDate.format(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
        ]
        var lines = headers + [""]
        for (type, body) in [("text/plain", message.text), ("text/html", message.html)] {
            lines += ["--\(boundary)", "Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            lines += base64Lines(body)
        }
        lines.append("--\(boundary)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Doubles a leading dot on every line, as `DATA` requires (RFC 5321 §4.5.2), and ends with `<CRLF>.<CRLF>`.
    static func dotStuffed(_ rendered: String) -> String {
        rendered.replacingOccurrences(of: "\r\n.", with: "\r\n..") + ".\r\n"
    }

    static func base64Lines(_ text: String) -> [String] {
        let encoded = Data(text.utf8).base64EncodedString()
        return stride(from: 0, to: encoded.count, by: 76).map { start in
            let from = encoded.index(encoded.startIndex, offsetBy: start)
            return String(encoded[from..<(encoded.index(from, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex)])
        }
    }

    static func encodedWord(_ text: String) -> String {
        let safe = headerSafe(text)
        guard safe.utf8.contains(where: { $0 >= 0x80 }) else { return safe }
        return "=?UTF-8?B?\(Data(safe.utf8).base64EncodedString())?="
    }

    static func headerSafe(_ value: String) -> String {
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        String(String.UnicodeScalarView(value.unicodeScalars.filter { $0 != "\r" && $0 != "\n" && $0 != "\0" }))
    }
}
