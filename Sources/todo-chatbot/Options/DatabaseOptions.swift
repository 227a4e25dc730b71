import ArgumentParser
import TodoCore

/// Where the store lives and how its pool behaves.
struct DatabaseOptions: SettingOptions {
    @Option(name: .long, help: ArgumentHelp(
        "postgresql://… (Neon strings as printed), sqlite:///path or sqlite::memory:. [env: DATABASE_URL] (default: sqlite:./data/todo.sqlite)",
        valueName: "url"))
    var databaseURL: String?

    @Option(name: .long, help: "Largest number of PostgreSQL connections. [env: DATABASE_POOL_SIZE] (default: 10)")
    var databasePoolSize: String?

    @Option(name: .long, help: "Deadline of one database call, e.g. 5s or 500ms. [env: DATABASE_TIMEOUT] (default: 5s)")
    var databaseTimeout: String?

    var settingValues: [(SettingKey, String?)] {
        [(.databaseURL, databaseURL), (.databasePoolSize, databasePoolSize), (.databaseTimeout, databaseTimeout)]
    }
}
