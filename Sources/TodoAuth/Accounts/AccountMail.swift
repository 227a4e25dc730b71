import TodoCore

/// The words of the account emails, in text and HTML. Names and addresses are escaped in the HTML; the link is ours.
enum AccountMail {
    static func passwordReset(to user: User, link: String, appName: String) -> MailMessage {
        message(
            to: user.email, subject: "Reset your \(appName) password", greeting: user.name,
            lines: ["Someone asked to reset the password of your \(appName) account.", "The link works once, for one hour."],
            action: "Choose a new password", link: link,
            footer: "If it was not you, ignore this email: your password stays as it is."
        )
    }

    static func verification(to user: User, link: String, appName: String) -> MailMessage {
        message(
            to: user.email, subject: "Verify your email for \(appName)", greeting: user.name,
            lines: ["Please confirm that this is your email address.", "The link works for one hour."],
            action: "Verify email", link: link, footer: "If you did not create an account, ignore this email."
        )
    }

    static func emailChange(to newEmail: String, user: User, link: String, appName: String) -> MailMessage {
        message(
            to: newEmail, subject: "Confirm your new email for \(appName)", greeting: user.name,
            lines: ["Your \(appName) account asked to use this address from now on.", "The link works once, for one hour."],
            action: "Use this email", link: link, footer: "If you did not ask for this, ignore this email: nothing changes."
        )
    }

    private static func message(
        to: String, subject: String, greeting: String, lines: [String], action: String, link: String, footer: String
    ) -> MailMessage {
        let text = (["Hello \(greeting),", ""] + lines + ["", "\(action): \(link)", "", footer]).joined(separator: "\n")
        let paragraphs = lines.map { "<p>\(escape($0))</p>" }.joined()
        let html = """
            <!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">\
            <p>Hello \(escape(greeting)),</p>\(paragraphs)\
            <p><a href="\(escape(link))" style="display:inline-block;padding:8px 16px;background:#2563eb;color:#fff;\
            border-radius:6px;text-decoration:none">\(escape(action))</a></p>\
            <p style="font-size:small">Or open: \(escape(link))</p><p style="color:#666">\(escape(footer))</p></body></html>
            """
        return MailMessage(to: to, subject: subject, text: text, html: html, link: link)
    }

    static func escape(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
