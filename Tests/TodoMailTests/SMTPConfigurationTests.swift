import Testing
import TodoCore
@testable import TodoMail

@Suite struct SMTPConfigurationTests {
    @Test func readsTheSchemesPortsAndCredentials() throws {
        let starttls = try SMTPConfiguration(url: "smtp://mailer%40example.com:p%3Ass@mail.example.com", from: "Todo <noreply@example.com>")
        #expect(starttls.security == .startTLS)
        #expect(starttls.port == 587)
        #expect(starttls.username == "mailer@example.com")
        #expect(starttls.password == "p:ss")
        #expect(starttls.envelopeFrom == "noreply@example.com")
        #expect(!starttls.description.contains("p:ss"))
        let implicit = try SMTPConfiguration(url: "smtps://u:p@mail.example.com", from: "noreply@example.com")
        #expect(implicit.security == .implicitTLS)
        #expect(implicit.port == 465)
        let plain = try SMTPConfiguration(url: "smtp://relay.internal:2525?tls=off", from: "noreply@example.com")
        #expect(plain.security == .none)
        #expect(plain.port == 2525)
        #expect(plain.username == nil)
    }

    @Test func refusesWhatCannotWork() {
        for (url, from, key) in [
            ("http://mail.example.com", "a@example.com", "SMTP_URL"),
            ("smtp://", "a@example.com", "SMTP_URL"),
            ("smtps://h.example.com?tls=off", "a@example.com", "SMTP_URL"),
            ("smtp://user@h.example.com", "a@example.com", "SMTP_URL"),
            ("smtp://h.example.com", "not an address", "MAIL_FROM"),
            ("smtp://h.example.com", "Evil <a@example.com>\r\nBcc: x@y.z", "MAIL_FROM"),
        ] {
            #expect(throws: ConfigError.self) { try SMTPConfiguration(url: url, from: from) }
            do {
                _ = try SMTPConfiguration(url: url, from: from)
            } catch {
                #expect(error.key == key, "\(url) \(from)")
            }
        }
    }
}
