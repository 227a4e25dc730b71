/// One email: a plain-text body and an HTML one, sent as `multipart/alternative`.
public struct MailMessage: Sendable, Equatable {
    public var to: String
    public var subject: String
    public var text: String
    public var html: String
    /// The one link the message is about; a mailer without a server writes it to the log (local use).
    public var link: String

    public init(to: String, subject: String, text: String, html: String, link: String) {
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.link = link
    }
}

/// Hands a message over for delivery. Implementations must not make the caller wait for a mail server: a request
/// that sends mail answers as fast as one that does not (otherwise the time tells whether an account exists).
public protocol Mailer: Sendable {
    func submit(_ message: MailMessage)
}
