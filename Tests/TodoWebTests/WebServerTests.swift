import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import TodoCore
import TodoTestSupport
@testable import TodoWeb

/// serve-web over real HTTP, in front of a stand-in API on loopback.
@Suite struct WebServerTests {
    /// A stand-in for serve-api that records what reaches it and streams SSE slowly.
    actor Upstream {
        var seen: [HTTPFields] = []
        var authorities: [String?] = []
        func record(_ headers: HTTPFields, _ authority: String?) {
            seen.append(headers)
            authorities.append(authority)
        }
    }

    static func withUpstream(_ body: @escaping @Sendable (Int, Upstream) async throws -> Void) async throws {
        let upstream = Upstream()
        let router = Router()
        router.get("/health") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok","agent":"offline"}"#))) }
        router.post("/api/echo") { request, _ -> Response in
            await upstream.record(request.headers, request.head.authority)
            let body = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .created, headers: [.contentType: "application/json", .connection: "close", HTTPField.Name("X-Upstream")!: "yes"], body: .init(byteBuffer: body))
        }
        router.get("/api/stream") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                for index in 1...3 {
                    try await writer.write(ByteBuffer(string: "event: tick\ndata: {\"n\":\(index)}\n\n"))
                    try await Task.sleep(for: .milliseconds(300))
                }
                try await writer.finish(nil)
            })
        }
        try await serveOnLoopback(router) { url in
            try await body(try #require(url.split(separator: ":").last.flatMap { Int($0) }), upstream)
        }
    }

    static func web(apiPort: Int) throws -> some ApplicationProtocol {
        var configuration = WebConfiguration()
        configuration.apiURL = "http://127.0.0.1:\(apiPort)"
        configuration.port = 0
        var quiet = Logger(label: "web")
        quiet.logLevel = .critical
        return buildWebApplication(configuration, catalog: try AssetCatalog.bundled(), logger: quiet)
    }

    @Test func pagesCarrySecurityHeadersAndAssetsCacheForAYear() async throws {
        try await Self.web(apiPort: 9).test(.live) { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.cacheControl] == "no-cache")
            let csp = try #require(page.headers[HTTPField.Name("Content-Security-Policy")!])
            #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"))
            #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            #expect(page.headers[HTTPField.Name("Permissions-Policy")!]?.contains("camera=()") == true)
            let html = String(buffer: page.body)
            let asset = try #require(html.firstRange(of: #/\/assets\/app\.[0-9a-f]+\.js/#).map { String(html[$0]) })
            let script = try await client.execute(uri: asset, method: .get, headers: [.acceptEncoding: "gzip, br"])
            #expect(script.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(script.headers[.contentEncoding] == "gzip")
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            let again = try await client.execute(uri: asset, method: .get, headers: [.ifNoneMatch: try #require(script.headers[.eTag])])
            #expect(again.status == .notModified)
            #expect(try await client.execute(uri: "/assets/app.0000000000.js", method: .get).status == .notFound)
        }
    }

    @Test func theProxyStreamsBothWaysAndSetsForwardingHeaders() async throws {
        try await Self.withUpstream { apiPort, upstream in
            try await Self.web(apiPort: apiPort).test(.live) { client in
                let echoed = try await client.execute(
                    uri: "/api/echo?x=1", method: .post,
                    headers: [.contentType: "application/json", .connection: "keep-alive", HTTPField.Name("X-Forwarded-For")!: "203.0.113.9", .cookie: "a=b"],
                    body: ByteBuffer(string: #"{"hello":"world"}"#)
                )
                #expect(echoed.status == .created)
                #expect(String(buffer: echoed.body) == #"{"hello":"world"}"#)
                #expect(echoed.headers[HTTPField.Name("X-Upstream")!] == "yes")
                #expect(echoed.headers[.connection] == nil, "hop-by-hop headers stay on their hop")
                let seen = try #require(await upstream.seen.first)
                #expect(seen[HTTPField.Name("X-Forwarded-For")!] == "203.0.113.9, 127.0.0.1")
                #expect(seen[HTTPField.Name("X-Forwarded-Proto")!] == "http")
                #expect(seen[.cookie] == "a=b")
                let authority = await upstream.authorities.first ?? nil
                #expect(authority != "127.0.0.1:\(apiPort)", "the browser's host travels on, not the API's")
            }
            // Events arrive one by one, not after the whole stream.
            let web = try Self.web(apiPort: apiPort)
            try await web.test(.live) { client in
                let port = try #require(client.port)
                let first = try await sendAndHangUp(
                    port: port, request: "GET /api/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n", after: "\"n\":1"
                )
                #expect(first.contains("event: tick"))
                #expect(!first.contains("\"n\":3"), "the first event came before the stream ended")
            }
        }
    }

    @Test func aDownAPIIsAQuick502AndDeepHealthSaysSo() async throws {
        let closed = try freePort()
        try await Self.web(apiPort: closed).test(.live) { client in
            let start = ContinuousClock.now
            let response = try await client.execute(uri: "/api/tasks", method: .get)
            #expect(response.status == .badGateway)
            #expect(String(buffer: response.body).contains("BAD_GATEWAY"))
            // At once means well under the proxy's 30-second timeout; the margin is for a busy CI machine.
            #expect(ContinuousClock.now - start < .seconds(8), "refused at once, not retried until a timeout")
            let shallow = try await client.execute(uri: "/api/health", method: .get)
            #expect(shallow.status == .ok, "the web role itself is alive")
            let deep = try await client.execute(uri: "/api/health?deep=1", method: .get)
            #expect(deep.status == .serviceUnavailable)
            #expect(String(buffer: deep.body).contains(#""api":{"status":"unreachable"}"#))
        }
        try await Self.withUpstream { apiPort, _ in
            try await Self.web(apiPort: apiPort).test(.live) { client in
                let deep = try await client.execute(uri: "/api/health?deep=1", method: .get)
                #expect(deep.status == .ok)
                #expect(String(buffer: deep.body).contains(#""agent":"offline""#))
            }
        }
    }
}
