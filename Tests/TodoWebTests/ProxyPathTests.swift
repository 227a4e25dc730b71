import Testing
@testable import TodoWeb

/// Which request targets serve-web forwards: only plain `/api/…` paths; anything that could move the upstream's
/// authority or climb out of `/api/` is refused before it reaches the HTTP client.
@Suite struct ProxyPathTests {
    @Test(arguments: [
        "/api/tasks", "/api/tasks?status=pending&sort=created", "/api/tasks/12/complete", "/api/auth/sign-in/email",
        "/api/chat", "/api/conversations/3", "/api/tasks?q=a%20b%40c.d", "/api/health/",
    ])
    func plainAPITargetsAreForwardedUnchanged(target: String) {
        #expect(ProxyPath.forwardable(target) == target)
    }

    @Test(arguments: [
        "@127.0.0.1:9999/latest/meta-data/?://h/api/x", "http://127.0.0.1:9999/api/x", "127.0.0.1:9999", "//evil/api/x",
        "/api//evil", "/api/../metrics", "/api/./tasks", "/api/%2e%2e/metrics", "/api/%2E%2E%2Fmetrics", "/api/..%2f..%2fmetrics",
        "/api/x/../../mcp", "/api/%2fmcp", "/api\\..\\metrics", "/api/@evil", "/api/%40evil", "/api/x%00", "/api/x%0d%0aHost:%20e",
        "/api/x%", "/api/x%zz", "/apix", "/metrics", "/mcp", "/", "", "*", "/api", "/API/tasks", "/api/x#frag", "/api/ x",
        "/api/x\u{7f}", "/api/%c0%ae%c0%ae/metrics",
    ])
    func escapesAreRefused(target: String) {
        #expect(ProxyPath.forwardable(target) == nil)
    }
}
