import ArgumentParser
import Foundation
import TodoCore
import TodoStorage

/// `migrate`: applies the versioned schema, or lists it with `--status`.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the database schema (versioned, idempotent, safe to run concurrently).",
        discussion: """
            Each migration runs in its own transaction and is recorded with a checksum; a migration changed after it \
            was applied is refused. On PostgreSQL a transaction-scoped advisory lock serialises concurrent runs, so \
            two replicas may run it at once. Running it again is a no-op. Exit code 0 on success, 1 on failure, \
            2 on invalid configuration.

            Examples:
              todo-chatbot migrate --database-url 'postgresql://user:pass@ep-x.neon.tech/neondb?sslmode=require'
              todo-chatbot migrate --status
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup(title: "Database") var database: DatabaseOptions

    @Flag(name: .long, help: "List applied and pending migrations without changing anything.")
    var status = false

    func run() async throws {
        let settings = try Startup.settings(global, flags: database.flags)
        let logger = Startup.logger(settings, label: "migrate")
        let opened = try await DatabaseOpener.open(settings, logger: logger, strict: true)
        let showStatus = status
        do {
            let lines = try await DatabaseFactory.withRunning(opened) { database in
                let migrator = Migrator(database: database)
                if showStatus { return Self.statusLines(try await migrator.status()) }
                let applied = try await migrator.migrate()
                let latest = Migrator.all.last?.version ?? 0
                if applied.isEmpty { return ["schema is up to date (version \(latest))"] }
                return applied.map { "applied \($0.version) \($0.name)" } + ["schema is at version \(latest)"]
            }
            print("database: \(settings.database.redacted)")
            print(lines.joined(separator: "\n"))
        } catch {
            throw Startup.failure("migrate failed", error)
        }
    }

    static func statusLines(_ statuses: [MigrationStatus]) -> [String] {
        ["VERSION  STATE    APPLIED AT                NAME"] + statuses.map { status in
            let state = status.appliedAt == nil ? "pending" : "applied"
            let when = status.appliedAt.map(Timestamp.format) ?? "-"
            return "\(String(status.version).padding(toLength: 9, withPad: " ", startingAt: 0))"
                + "\(state.padding(toLength: 9, withPad: " ", startingAt: 0))"
                + "\(when.padding(toLength: 26, withPad: " ", startingAt: 0))\(status.name)"
        }
    }
}
