import Foundation
import TodoCore

/// How account emails go out: the mailer, the public URL links start with, and whether an account must verify its
/// email before it can sign in (`REQUIRE_EMAIL_VERIFICATION`).
public struct AccountEmails: Sendable {
    public var mailer: any Mailer
    /// Better Auth's base URL: the public URL of the app followed by `/api/auth`; every link in a message starts here.
    public var authURL: String
    public var requireVerification: Bool
    /// A verification link goes out on sign-up (always when verification is required).
    public var verifyOnSignUp: Bool
    public var appName: String

    public init(mailer: any Mailer, publicURL: String, requireVerification: Bool = false, verifyOnSignUp: Bool = false, appName: String = "Todo chatbot") {
        self.mailer = mailer
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        self.authURL = base + "/api/auth"
        self.requireVerification = requireVerification
        self.verifyOnSignUp = verifyOnSignUp
        self.appName = appName
    }

    var sendsOnSignUp: Bool { requireVerification || verifyOnSignUp }

    /// `authURL/path?query`, each query value percent-encoded.
    func link(_ path: String, _ query: [(String, String)]) -> String {
        // Not URLComponents: it leaves `&`, `=` and `+` alone inside values, and a callback URL may hold all three.
        let encoded = query.map { "\($0.0)=\(PercentEncoding.component($0.1))" }.joined(separator: "&")
        return authURL + "/" + path + (encoded.isEmpty ? "" : "?" + encoded)
    }
}
