import ArgumentParser
import TodoCore

/// Signing secrets, the public URL and trusted origins.
struct AuthOptions: SettingOptions {
    @Option(name: .long, help: "Secret (32+ characters) for cookies and HS256 tokens; prefer the environment, flags are visible in ps. [env: BETTER_AUTH_SECRET]")
    var betterAuthSecret: String?

    @Option(name: .long, help: "Versioned secrets for rotation, current first, as Better Auth 1.7 reads them: 2:new,1:old. [env: BETTER_AUTH_SECRETS]")
    var betterAuthSecrets: String?

    @Option(name: .long, help: ArgumentHelp("Public URL of the service: token issuer and audience. [env: BETTER_AUTH_URL]", valueName: "url"))
    var betterAuthURL: String?

    @Option(name: .long, help: "Comma-separated origins allowed besides our own, e.g. https://app.example.com. [env: TRUSTED_ORIGINS]")
    var trustedOrigins: String?

    @Option(name: .long, help: ArgumentHelp("JWKS of an external Better Auth whose JWTs are accepted too. [env: AUTH_JWKS_URL]", valueName: "url"))
    var authJWKSURL: String?

    @Option(name: .long, help: "The iss that external JWTs (--auth-jwks-url) must carry. [env: AUTH_JWKS_ISSUER]")
    var authJWKSIssuer: String?

    @Option(name: .long, help: "A value the external JWTs' aud must include. [env: AUTH_JWKS_AUDIENCE] (default: the issuer)")
    var authJWKSAudience: String?

    @Option(name: .long, help: "SameSite of the session cookie: lax, strict, or none for a frontend on another site (needs an https public URL). [env: COOKIE_SAME_SITE] (default: lax)")
    var cookieSameSite: String?

    @Option(name: .long, help: "Accept HS256 tokens signed with the secret (1/0). [env: ACCEPT_HS256_TOKENS] (default: 0)")
    var acceptHS256Tokens: String?

    @Option(name: .long, help: "Requests a minute per signed-in user. [env: RATE_LIMIT_PER_MINUTE] (default: 120)")
    var rateLimitPerMinute: String?

    @Option(name: .long, help: "Sign-in and sign-up attempts a minute per IP and per email. [env: AUTH_RATE_LIMIT_PER_MINUTE] (default: 5)")
    var authRateLimitPerMinute: String?

    @Option(name: .customLong("auth-rate-limit-per-10s"), help: "Better Auth's rule: sign-in, sign-up, change-password and change-email attempts per 10 s per IP and route. [env: AUTH_RATE_LIMIT_PER_10S] (default: 3)")
    var authRateLimitPer10s: String?

    @Option(name: .long, help: "How long a replica trusts a session it verified (0 = off, at most 10s): a sign-out elsewhere takes effect within it. [env: SESSION_CACHE_TTL] (default: 2s)")
    var sessionCacheTTL: String?

    @Option(name: .long, help: ArgumentHelp("Mail server for password-reset and verification emails: smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465; without it the links are logged. [env: SMTP_URL]", valueName: "url"))
    var smtpURL: String?

    @Option(name: .long, help: "Sender of account emails, e.g. 'Todo <noreply@example.com>'; required with --smtp-url. [env: MAIL_FROM]")
    var mailFrom: String?

    @Option(name: .long, help: ArgumentHelp("PEM CA file that signed the mail server's certificate (a private server). [env: SMTP_CA_FILE]", valueName: "path"))
    var smtpCAFile: String?

    @Option(name: .long, help: "Sign-in waits until the account's email is verified (1/0). [env: REQUIRE_EMAIL_VERIFICATION] (default: 0)")
    var requireEmailVerification: String?

    var settingValues: [(SettingKey, String?)] {
        [
            (.betterAuthSecret, betterAuthSecret),
            (.betterAuthSecrets, betterAuthSecrets),
            (.betterAuthURL, betterAuthURL),
            (.trustedOrigins, trustedOrigins),
            (.authJWKSURL, authJWKSURL),
            (.authJWKSIssuer, authJWKSIssuer),
            (.authJWKSAudience, authJWKSAudience),
            (.cookieSameSite, cookieSameSite),
            (.acceptHS256Tokens, acceptHS256Tokens),
            (.rateLimitPerMinute, rateLimitPerMinute),
            (.authRateLimitPerMinute, authRateLimitPerMinute),
            (.authRateLimitPer10s, authRateLimitPer10s),
            (.sessionCacheTTL, sessionCacheTTL),
            (.smtpURL, smtpURL),
            (.mailFrom, mailFrom),
            (.smtpCAFile, smtpCAFile),
            (.requireEmailVerification, requireEmailVerification),
        ]
    }
}
