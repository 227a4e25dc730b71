import TodoWeb

/// The web UI the binary carries, for the commands that serve it; a damaged bundle stops the command with one line.
enum BundledUI {
    static func catalog() throws -> AssetCatalog {
        do {
            return try AssetCatalog.bundled()
        } catch {
            throw Startup.fail("cannot load the web UI: \(Startup.describe(error))")
        }
    }
}
