import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TodoAPI
import TodoCore
import TodoStorage
import TodoTestSupport

@Suite(.heavy) struct OperationsTests {
    static let requestID = HTTPField.Name("X-Request-Id")!

    @Test func healthAnswersWithoutTouchingTheDatabase() async throws {
        // An unreachable database must not make liveness fail.
        let unreachable = try DatabaseLocation.parse("postgresql://u:p@127.0.0.1:9/db?sslmode=disable")
        try await withAPI(unreachable, timeout: .milliseconds(300), configure: { $0.migrateOnStart = false }) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let body = try json(response.body)
                #expect(body["status"] as? String == "ok")
                #expect(body["role"] as? String == "api")
                #expect(body["version"] as? String == TodoVersion.current)
            }
        }
    }

    @Test func readyIsOKWhenTheDatabaseAnswers() async throws {
        try await withAPI { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["database"] as? String == "ok")
            }
        }
    }

    @Test func readyIs503WithAReasonWhenTheDatabaseIsDown() async throws {
        let unreachable = try DatabaseLocation.parse("postgresql://u:secretpw@127.0.0.1:9/db?sslmode=disable")
        // The deadline is long: the refusal must come from the probe, which starts 150 ms into the wait and runs
        // beside it (a deadline shorter than the probe's connect attempt would rightly win).
        try await withAPI(unreachable, timeout: .seconds(5), mode: .live, configure: { $0.migrateOnStart = false }) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "5")
                let body = try json(response.body)
                #expect(body["status"] as? String == "unavailable")
                // Port 9 refuses: known at once from a probe, said in words, never a type name.
                #expect(body["reason"] as? String == "cannot reach PostgreSQL: connection refused")
                #expect(!String(buffer: response.body).contains("secretpw"))
            }
        }
    }

    @Test func requestIDsAreAcceptedOrGeneratedAndEchoed() async throws {
        let recorder = LogRecorder()
        try await withAPI(recorder: recorder) { client in
            try await client.execute(uri: "/health", method: .get, headers: [Self.requestID: "trace-42.a:b"]) { response in
                #expect(response.headers[Self.requestID] == "trace-42.a:b")
            }
            for hostile in ["has space", String(repeating: "x", count: 129), "inject\"quote"] {
                try await client.execute(uri: "/health", method: .get, headers: [Self.requestID: hostile]) { response in
                    let echoed = try #require(response.headers[Self.requestID])
                    #expect(echoed != hostile)
                    #expect(echoed.count == 32)
                }
            }
        }
        let access = recorder.all.filter { $0.message == "request" }
        #expect(access.count == 4)
        #expect(access.first?.metadata["request_id"] == "trace-42.a:b")
        #expect(access.first?.metadata["status"] == "200")
        #expect(access.first?.metadata["path"] == "/health")
        #expect(access.allSatisfy { $0.metadata["request_id"] != nil && $0.metadata["duration_ms"] != nil })
    }

    @Test func unknownRoutesGetTheJSONErrorShape() async throws {
        try await withAPI { client in
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
                let error = try #require(try json(response.body)["error"] as? [String: Any])
                #expect(error["code"] as? String == "NOT_FOUND")
                #expect(response.headers[Self.requestID] != nil)
            }
        }
    }

    @Test func metricsCountRequestsByRouteAndReportThePool() async throws {
        try await withAPI { client in
            try await client.execute(uri: "/health", method: .get) { _ in }
            try await client.execute(uri: "/health", method: .get) { _ in }
            try await client.execute(uri: "/missing", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"http_requests_total{route="/health",method="GET",status="200"} 2"#))
                #expect(text.contains(#"http_requests_total{route="NotFound",method="GET",status="404"} 1"#))
                #expect(text.contains(#"http_request_duration_seconds_bucket{route="/health",method="GET",status="200",le="+Inf"} 2"#))
                #expect(text.contains("db_pool_connections_max 1.0"))
                #expect(text.contains("db_pool_connections_in_use 0.0"))
            }
        }
    }
}

@Suite struct OpenAPIDocumentTests {
    @Test func theDocumentIsServedAndNamesEveryRoute() async throws {
        try await withAPI { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let document = try json(response.body)
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: Any])
                for path in [
                    "/health", "/ready", "/metrics", "/api/auth/sign-up/email", "/api/auth/sign-in/email", "/api/auth/sign-out",
                    "/api/auth/get-session", "/api/auth/token", "/api/auth/jwks", "/api/tasks", "/api/tasks/{id}",
                    "/api/tasks/{id}/complete", "/api/{user_id}/tasks", "/api/{user_id}/tasks/{id}", "/api/{user_id}/tasks/{id}/complete",
                ] {
                    #expect(paths[path] != nil, "\(path) is not documented")
                }
            }
        }
    }

    @Test func randomMethodsAndPathsDoNotGrowTheMetrics() async throws {
        try await withAPI { client in
            func lines() async throws -> Int {
                String(buffer: try await client.execute(uri: "/metrics", method: .get).body).split(separator: "\n").count
            }
            _ = try await client.execute(uri: "/nowhere", method: HTTPRequest.Method("WARMUP")!)
            let before = try await lines()
            for index in 0..<200 {
                let method = HTTPRequest.Method("M\(UInt32.random(in: 0...UInt32.max))X\(index)")!
                _ = try await client.execute(uri: "/random/\(UUID().uuidString)", method: method)
            }
            let after = try await lines()
            #expect(after - before < 20, "random methods are 'other' and unmatched paths share one route")
            #expect(!String(buffer: try await client.execute(uri: "/metrics", method: .get).body).contains("method=\"M"))
        }
    }

    @Test func headAnswersWhereGetDoesWithoutABody() async throws {
        try await withAPI { client in
            let get = try await client.execute(uri: "/health", method: .get)
            let head = try await client.execute(uri: "/health", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentLength] == get.headers[.contentLength])
        }
    }
}
