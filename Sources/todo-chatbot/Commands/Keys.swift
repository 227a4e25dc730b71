import ArgumentParser
import Foundation
import TodoAuth
import TodoCore
import TodoStorage

/// `keys`: the JWT signing keys every replica shares through the database.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List or rotate the JWT signing keys (the JWKS at /api/auth/jwks).",
        discussion: """
            Access tokens are signed with the newest Ed25519 key of the `jwks` table; its private half is sealed with \
            BETTER_AUTH_SECRET. `keys rotate` adds a new key and retires the others: they stay in the JWKS and keep \
            verifying until the last token they signed has expired (token lifetime 15 minutes, plus 1 minute in which \
            running replicas still sign with their cached key), and the next rotation deletes them. No restart is \
            needed; every replica picks up the new key within a minute.
            """,
        subcommands: [List.self, Rotate.self],
        defaultSubcommand: List.self
    )

    /// `keys list`: every key with its state.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the signing keys: which one signs, which only verify, and until when.",
            discussion: "Example:\n  todo-chatbot keys list --database-url 'postgresql://user:pass@ep-x.neon.tech/neondb?sslmode=require'"
        )

        @OptionGroup var keys: KeyOptions

        func run() async throws {
            let statuses = try await keys.withTokens { try await $0.keyStatuses() }
            print(Keys.table(statuses).joined(separator: "\n"))
        }
    }

    /// `keys rotate`: a new signing key; the old ones retire.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a new signing key and retire the others once their tokens have expired.",
            discussion: "Example:\n  todo-chatbot keys rotate --env-file /run/secrets/todo.env"
        )

        @OptionGroup var keys: KeyOptions

        func run() async throws {
            let (kid, statuses) = try await keys.withTokens { tokens in
                (try await tokens.rotate(), try await tokens.keyStatuses())
            }
            print("new signing key \(kid); retired keys verify until their tokens have expired")
            print(Keys.table(statuses).joined(separator: "\n"))
        }
    }

    static func table(_ statuses: [SigningKeyStatus]) -> [String] {
        guard !statuses.isEmpty else { return ["no signing keys yet (the API makes one for its first token)"] }
        return ["KID                 STATE      CREATED AT                EXPIRES AT"] + statuses.map { status in
            status.id.padding(toLength: 20, withPad: " ", startingAt: 0)
                + status.state.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                + Timestamp.format(status.createdAt).padding(toLength: 26, withPad: " ", startingAt: 0)
                + (status.expiresAt.map(Timestamp.format) ?? "-")
        }
    }
}

/// The options `keys` needs: the database and the secret that seals the keys.
struct KeyOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @OptionGroup(title: "Database") var database: DatabaseOptions
    @OptionGroup(title: "Authentication") var auth: AuthOptions

    /// Runs `body` with a token service on the configured database; failures end the command with one line.
    func withTokens<T: Sendable>(_ body: @escaping @Sendable (TokenService) async throws -> T) async throws -> T {
        let settings = try Startup.settings(global, flags: database.flags.merging(auth.flags) { $1 })
        let logger = Startup.logger(settings, label: "keys")
        let secrets = try AuthSecrets.resolve(settings)
        do {
            return try await DatabaseOpener.withDatabase(settings, logger: logger) { database in
                let tokens = TokenService(
                    store: SQLStore(database: database), secrets: secrets, issuer: settings.authConfiguration.issuer
                )
                return try await body(tokens)
            }
        } catch {
            throw Startup.failure("keys failed", error)
        }
    }
}
