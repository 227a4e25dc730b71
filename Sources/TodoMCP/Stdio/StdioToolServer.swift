import Logging
import MCP

extension TodoToolServer {
    /// Serves one client over standard input and output until the input ends and every request is answered.
    /// Messages use stdout alone; logs must go to stderr.
    public func serveStdio(userID: String, logger: Logger) async throws {
        let server = await makeServer(userID: userID)
        try await server.start(transport: DrainingStdioTransport(logger: logger))
        await server.waitUntilCompleted()
        await server.stop()
    }
}
