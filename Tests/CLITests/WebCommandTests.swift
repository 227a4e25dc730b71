import Foundation
import Testing
@testable import todo_chatbot
import TodoAPI
import TodoCore
import TodoTestSupport

/// `serve` (API and UI on one port) and `serve-web` (UI and proxy) as the binary runs them.
@Suite(.heavy) struct WebCommandTests {
    @Test func serveRunsTheAPIAndTheUIOnOnePortWithinSeconds() async throws {
        let cli = try CLI()
        let start = ContinuousClock.now
        let server = try await cli.startServer(command: "serve")
        defer { server.stop() }
        #expect(ContinuousClock.now - start < .seconds(60), "usable without waiting on anything; the bound only catches a hang")
        let page = try await server.get("/")
        #expect(page.status == 200)
        #expect(page.body.contains("<title>Todo chatbot</title>"))
        let health = try await server.get("/api/health?deep=1")
        #expect(health.body.contains(#""agent":"offline""#), "the UI can tell which agent answers")
        #expect(try await server.get("/api/tasks").status == 401, "the API is on the same port")
        #expect(FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("data/todo.sqlite").path), "embedded SQLite by default")
        let healthcheck = try await cli.run(["healthcheck", "--role", "serve", "--port", String(server.port)])
        #expect(healthcheck.status == 0, "\(healthcheck.stdout)")
    }

    @Test func serveWebProxiesToTheAPIAndChecksItselfAsTheWebRole() async throws {
        let cli = try CLI(environment: ["DATABASE_URL": "sqlite::memory:"])
        let api = try await cli.startServer()
        defer { api.stop() }
        let web = try await cli.startServer(command: "serve-web", health: "/api/health", environment: ["API_URL": "http://127.0.0.1:\(api.port)"])
        defer { web.stop() }
        #expect(try await web.get("/").body.contains("/assets/app."))
        let proxied = try await web.get("/api/tasks")
        #expect(proxied.status == 401, "the API's own answer comes through")
        #expect(proxied.body.contains("UNAUTHORIZED"))
        let check = try await cli.run(["healthcheck", "--role", "web", "--port", String(web.port)])
        #expect(check.status == 0, "\(check.stdout)")
        api.stop()
        let down = try await web.get("/api/tasks")
        #expect(down.status == 502)
        #expect(try await cli.run(["healthcheck", "--role", "web", "--port", String(web.port)]).status == 0, "the web role itself is alive")
    }
}
