import ArgumentParser
import Logging
import TodoAPI
import TodoAgent
import TodoCore

/// The options of the commands that run the API (`serve-api` and `serve`), so both read the same settings.
struct APIRoleOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @OptionGroup(title: "Server") var server: ServerOptions
    @OptionGroup(title: "Database") var database: DatabaseOptions
    @OptionGroup(title: "Authentication") var auth: AuthOptions
    @OptionGroup(title: "Agent") var agent: AgentOptions
    @OptionGroup(title: "Tools and MCP") var tools: ToolOptions
    @OptionGroup(title: "Reminders and live updates") var reminders: ReminderOptions

    var flags: [String: String] {
        server.flags.merging(database.flags) { $1 }.merging(auth.flags) { $1 }.merging(agent.flags) { $1 }
            .merging(tools.flags) { $1 }.merging(reminders.flags) { $1 }
    }

    /// The settings for `role`; a configuration problem ends the command with exit code 2.
    func settings(role: Settings.Role) throws -> Settings {
        var settings = try Startup.settings(global, flags: flags)
        settings.role = role
        // `serve` is the whole product in one process: no proxy of ours stands in front of its API, so no
        // X-Forwarded-For is believed, whoever the peer is.
        if role == .serve { settings.trustedProxies = [] }
        return settings
    }

    /// What SIGHUP reloads for an API role: its certificate, the auth secrets, the model key and the database URL.
    func reload(
        _ settings: Settings, certificate: ServerCertificate?, dependencies: APIDependencies, logger: Logger
    ) -> HangupReload {
        HangupReload(
            load: Startup.loader(global, flags: flags), initial: settings, certificate: certificate,
            authSecrets: dependencies.authSecrets, modelKey: dependencies.modelClient?.configuration.apiKey,
            database: dependencies.database, logger: logger
        )
    }
}
