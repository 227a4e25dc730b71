import ArgumentParser
import TodoCore

/// Signing secrets, the public URL and trusted origins.
struct AuthOptions: SettingOptions {
    @Option(name: .long, help: "Secret (32+ characters) for cookies and HS256 tokens; prefer the environment, flags are visible in ps. [env: BETTER_AUTH_SECRET]")
    var betterAuthSecret: String?

    @Option(name: .long, help: ArgumentHelp("Public URL of the service: token issuer and audience. [env: BETTER_AUTH_URL]", valueName: "url"))
    var betterAuthURL: String?

    @Option(name: .long, help: "Comma-separated origins allowed besides our own, e.g. https://app.example.com. [env: TRUSTED_ORIGINS]")
    var trustedOrigins: String?

    @Option(name: .long, help: ArgumentHelp("JWKS of an external Better Auth whose JWTs are accepted too. [env: AUTH_JWKS_URL]", valueName: "url"))
    var authJWKSURL: String?

    @Option(name: .long, help: "Requests a minute per signed-in user. [env: RATE_LIMIT_PER_MINUTE] (default: 120)")
    var rateLimitPerMinute: String?

    @Option(name: .long, help: "Sign-in and sign-up attempts a minute per IP and per email. [env: AUTH_RATE_LIMIT_PER_MINUTE] (default: 5)")
    var authRateLimitPerMinute: String?

    var settingValues: [(SettingKey, String?)] {
        [
            (.betterAuthSecret, betterAuthSecret),
            (.betterAuthURL, betterAuthURL),
            (.trustedOrigins, trustedOrigins),
            (.authJWKSURL, authJWKSURL),
            (.rateLimitPerMinute, rateLimitPerMinute),
            (.authRateLimitPerMinute, authRateLimitPerMinute),
        ]
    }
}
