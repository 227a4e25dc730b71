import Foundation
import Testing
@testable import todo_chatbot
import TodoCore
import TodoMail

@Suite struct SettingsTests {
    @Test func defaultsNeedNoConfiguration() throws {
        let settings = try Settings.load(from: ConfigSources())
        #expect(settings.host == "127.0.0.1")
        #expect(settings.effectivePort == 8000)
        #expect(settings.database == .sqliteFile(path: "./data/todo.sqlite"))
        #expect(settings.databasePoolSize == 10)
        #expect(settings.databaseTimeout == .seconds(5))
        #expect(settings.logLevel == .info)
        #expect(settings.logFormat == .text)
        #expect(settings.agentMaxSteps == 8)
        #expect(settings.migrateOnStart == false)
    }

    @Test func flagsBeatEnvironmentWhichBeatsTheEnvFile() throws {
        let sources = ConfigSources(
            flags: ["PORT": "1001"],
            environment: ["PORT": "1002", "LOG_LEVEL": "debug"],
            envFile: ["PORT": "1003", "LOG_LEVEL": "error", "LOG_FORMAT": "json", "HOST": "0.0.0.0"]
        )
        let settings = try Settings.load(from: sources)
        #expect(settings.port == 1001)
        #expect(settings.logLevel == .debug)
        #expect(settings.logFormat == .json)
        #expect(settings.host == "0.0.0.0")
        #expect(sources.value("PORT")?.origin == .flag)
        #expect(sources.value("LOG_FORMAT")?.origin == .envFile)
    }

    @Test func emptyValuesCountAsUnset() throws {
        let settings = try Settings.load(from: ConfigSources(environment: ["PORT": "", "LOG_LEVEL": ""], envFile: ["PORT": "7000"]))
        #expect(settings.port == 7000)
        #expect(settings.logLevel == .info)
    }

    @Test(arguments: [
        ("PORT", "99999", "configuration error: PORT: '99999' is not a whole number in 1-65535"),
        ("PORT", "http", "configuration error: PORT: 'http' is not a whole number in 1-65535"),
        ("LOG_LEVEL", "loud", "configuration error: LOG_LEVEL: 'loud' is not one of trace, debug, info, notice, warning, error, critical"),
        ("LOG_FORMAT", "xml", "configuration error: LOG_FORMAT: 'xml' is not one of text, json"),
        ("DATABASE_POOL_SIZE", "0", "configuration error: DATABASE_POOL_SIZE: '0' is not a whole number in 1-200"),
        ("DATABASE_TIMEOUT", "soon", "configuration error: DATABASE_TIMEOUT: 'soon' is not a positive duration (e.g. 5, 5s, 500ms, 2m)"),
        ("MIGRATE_ON_START", "maybe", "configuration error: MIGRATE_ON_START: 'maybe' is not a boolean (use 1/0, true/false, yes/no)"),
        ("API_URL", "ftp://x", "configuration error: API_URL: 'ftp://x' is not an http:// or https:// URL with a host"),
        ("TRUSTED_ORIGINS", "https://a.example, nope", "configuration error: TRUSTED_ORIGINS: 'nope' is not an origin like https://app.example.com"),
        ("AGENT_MAX_STEPS", "100", "configuration error: AGENT_MAX_STEPS: '100' is not a whole number in 1-50"),
        ("ROLE", "worker", "configuration error: ROLE: 'worker' is not one of api, web, serve"),
        ("COOKIE_SAME_SITE", "sideways", "configuration error: COOKIE_SAME_SITE: 'sideways' is not one of lax, strict, none"),
        ("COOKIE_SAME_SITE", "none", "configuration error: COOKIE_SAME_SITE: none needs an https BETTER_AUTH_URL: browsers drop a SameSite=None cookie that is not Secure"),
    ])
    func anInvalidValueIsOneLineNamingTheKey(key: String, value: String, message: String) {
        let error = #expect(throws: ConfigError.self) { try Settings.load(from: ConfigSources(environment: [key: value])) }
        #expect(error?.description == message)
        #expect(error?.description.contains("\n") == false)
    }

    @Test func secretsNeverAppearInErrors() {
        let secret = "short-secret-value"
        let error = #expect(throws: ConfigError.self) {
            try Settings.load(from: ConfigSources(environment: ["BETTER_AUTH_SECRET": secret]))
        }
        #expect(error?.key == "BETTER_AUTH_SECRET")
        #expect(error?.description.contains(secret) == false)

        let password = "hunter2-very-secret"
        let urlError = #expect(throws: ConfigError.self) {
            try Settings.load(from: ConfigSources(environment: ["DATABASE_URL": "postgresql://u:\(password)@host/db?sslmode=sometimes"]))
        }
        #expect(urlError?.key == "DATABASE_URL")
        #expect(urlError?.description.contains(password) == false)
    }

    @Test func durationsAcceptSecondsMillisecondsAndMinutes() throws {
        #expect(try Settings.load(from: ConfigSources(environment: ["DATABASE_TIMEOUT": "500ms"])).databaseTimeout == .milliseconds(500))
        #expect(try Settings.load(from: ConfigSources(environment: ["DATABASE_TIMEOUT": "2.5"])).databaseTimeout == .milliseconds(2500))
        #expect(try Settings.load(from: ConfigSources(environment: ["AGENT_TIMEOUT": "2m"])).agentTimeout == .seconds(120))
    }

    @Test func rolesPickTheirPortAndHealthPath() throws {
        let web = try Settings.load(from: ConfigSources(environment: ["ROLE": "web"]))
        #expect(web.effectivePort == 3000)
        #expect(web.role.healthPath == "/api/health")
        #expect(Settings.Role.api.healthPath == "/health")
    }

    @Test func everyKeyHasAFlagSpelling() {
        #expect(SettingKey.databaseURL.flag == "--database-url")
        #expect(SettingKey.allCases.allSatisfy { $0.flag.hasPrefix("--") && $0.flag == $0.flag.lowercased() })
        #expect(SettingKey.allCases.filter(\.isSecret).map(\.rawValue).sorted() == ["BETTER_AUTH_SECRET", "BETTER_AUTH_SECRETS", "DATABASE_URL", "OPENAI_API_KEY", "REMINDER_WEBHOOK_SECRET", "SMTP_URL"])
    }

    @Test func theMailServerNeedsASenderAndNeverShowsItsPassword() throws {
        let url = "smtp://mailer:hunter2-secret@mail.example.com:587"
        #expect(throws: ConfigError(key: "MAIL_FROM", problem: "is required with SMTP_URL: the sender address, e.g. Todo <noreply@example.com>")) {
            try Settings.load(from: ConfigSources(environment: ["SMTP_URL": url]))
        }
        do {
            _ = try Settings.load(from: ConfigSources(environment: ["SMTP_URL": "ftp://mailer:hunter2-secret@h", "MAIL_FROM": "a@example.com"]))
            Issue.record("an ftp URL was accepted")
        } catch {
            #expect(error.key == "SMTP_URL" && !error.description.contains("hunter2"))
        }
        let settings = try Settings.load(from: ConfigSources(environment: ["SMTP_URL": url, "MAIL_FROM": "Todo <noreply@example.com>", "REQUIRE_EMAIL_VERIFICATION": "1"]))
        #expect(settings.smtp?.host == "mail.example.com" && settings.smtp?.password == "hunter2-secret")
        #expect(settings.requireEmailVerification)
        #expect(!"\(settings)".contains("hunter2") && "\(settings)".contains("smtp://mailer@mail.example.com:587"))
    }

    @Test func secretsCanComeFromFilesButNotFromBothPlaces() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let secretFile = folder.appendingPathComponent("auth").path
        try "file-secret-0123456789-abcdefghijklmnop\n".write(toFile: secretFile, atomically: true, encoding: .utf8)
        let keyFile = folder.appendingPathComponent("key").path
        try "sk-from-a-file\n".write(toFile: keyFile, atomically: true, encoding: .utf8)

        let settings = try Settings.load(from: ConfigSources(environment: ["BETTER_AUTH_SECRET_FILE": secretFile, "OPENAI_API_KEY_FILE": keyFile]))
        #expect(settings.betterAuthSecret == "file-secret-0123456789-abcdefghijklmnop", "the trailing newline is dropped")
        #expect(settings.openAIAPIKey == "sk-from-a-file")

        #expect(throws: ConfigError(key: "BETTER_AUTH_SECRET", problem: "is set both directly and as BETTER_AUTH_SECRET_FILE; set one of them")) {
            try Settings.load(from: ConfigSources(environment: ["BETTER_AUTH_SECRET_FILE": secretFile, "BETTER_AUTH_SECRET": "direct-secret-0123456789-abcdefghijklmnop"]))
        }
        #expect(throws: ConfigError(key: "DATABASE_URL_FILE", problem: "'/nonexistent/db-url' cannot be read")) {
            try Settings.load(from: ConfigSources(envFile: ["DATABASE_URL_FILE": "/nonexistent/db-url"]))
        }
    }

    @Test(arguments: [
        ("replace-with-32-or-more-random-characters", "is the example placeholder; set a random secret"),
        ("please-change-me-0123456789-abcdefghijkl", "is the example placeholder; set a random secret"),
        (String(repeating: "ab", count: 20), "is too easy to guess (fewer than 12 different characters)"),
        ("0123456789012345678901234567890123456789", "is too easy to guess (fewer than 12 different characters)"),
        ("short", "each secret must be at least 32 characters"),
    ])
    func aSecretThatIsNotSecretIsRefused(secret: String, problem: String) throws {
        #expect(throws: ConfigError(key: "BETTER_AUTH_SECRET", problem: "\(problem) (generate one with: openssl rand -base64 32)")) {
            try Settings.load(from: ConfigSources(environment: ["BETTER_AUTH_SECRET": secret]))
        }
        // A good secret beside a weak one does not make the weak one acceptable.
        #expect(throws: ConfigError(key: "BETTER_AUTH_SECRETS", problem: "\(problem) (generate one with: openssl rand -base64 32)")) {
            try Settings.load(from: ConfigSources(environment: ["BETTER_AUTH_SECRETS": "2:good-secret-0123456789-abcdefghijklmnop,1:\(secret)"]))
        }
    }

    @Test func trustedProxiesAreNetworks() throws {
        #expect(try Settings.load(from: ConfigSources()).trustedProxies == IPNetwork.loopback)
        let settings = try Settings.load(from: ConfigSources(environment: ["TRUSTED_PROXIES": "10.0.0.0/8, fd00::/8,192.0.2.7"]))
        #expect(settings.trustedProxies.map(\.description) == ["10.0.0.0/8", "fd00::/8", "192.0.2.7"])
        #expect(try Settings.load(from: ConfigSources(environment: ["TRUSTED_PROXIES": "none"])).trustedProxies.isEmpty)
        #expect(throws: ConfigError(key: "TRUSTED_PROXIES", problem: "'10.0.0.0/33' is not an IP address or CIDR network like 10.0.0.0/8 (or 'none')")) {
            try Settings.load(from: ConfigSources(environment: ["TRUSTED_PROXIES": "10.0.0.0/33"]))
        }
    }

    /// As Better Auth reads them: `BETTER_AUTH_SECRET` is one secret, commas included; `BETTER_AUTH_SECRETS` is the
    /// versioned list whose first entry signs, and `BETTER_AUTH_SECRET` beside it is the legacy secret (verify only).
    @Test func oneSecretOrBetterAuthsVersionedList() throws {
        let newer = "newer-secret-0123456789-abcdefghijklm"
        let older = "older-secret-0123456789-abcdefghijklmnopq"
        let comma = try Settings.load(from: ConfigSources(environment: ["BETTER_AUTH_SECRET": "\(newer),\(older)"]))
        #expect(comma.betterAuthSecrets == ["\(newer),\(older)"], "a comma is part of the secret, as in Better Auth")
        let versioned = try Settings.load(from: ConfigSources(environment: ["BETTER_AUTH_SECRETS": " 2:\(newer) , 1:\(older)"]))
        #expect(versioned.betterAuthSecrets == [newer, older])
        #expect(versioned.betterAuthSecretVersions.map(\.version) == [2, 1])
        let legacy = "legacy-secret-0123456789-abcdefghijklmn"
        let both = try Settings.load(from: ConfigSources(environment: ["BETTER_AUTH_SECRETS": "2:\(newer)", "BETTER_AUTH_SECRET": legacy]))
        #expect(both.betterAuthSecrets == [newer, legacy], "the versioned current secret signs; the legacy one still verifies")
        for (list, problem) in [
            (newer, "an entry is not <version>:<secret> (e.g. 2:newsecret,1:oldsecret)"),
            ("x:\(newer)", "a version is not a non-negative whole number"),
            ("-1:\(newer)", "a version is not a non-negative whole number"),
            ("2:", "version 2 has an empty secret"),
            ("2:\(newer),2:\(older)", "version 2 appears twice"),
        ] {
            #expect(throws: ConfigError(key: "BETTER_AUTH_SECRETS", problem: problem)) {
                try Settings.load(from: ConfigSources(environment: ["BETTER_AUTH_SECRETS": list]))
            }
        }
        #expect(!String(describing: versioned).contains(newer), "the values never print")
    }
}
