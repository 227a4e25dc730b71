import Hummingbird
import Prometheus
import Synchronization
import TodoAgent
import TodoStorage

/// The Prometheus metrics of serve-api, kept in a registry owned by the app (no global metrics system).
public final class APIMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let inFlight: Gauge
    private let poolSize: Gauge
    private let poolInUse: Gauge
    private let taskPages: [TaskPageCache.Outcome: Counter]
    private let routes = Mutex<[RouteKey: RouteMetrics]>([:])
    private let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    static var inFlightName: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "http_requests", unitName: "in_flight", helpText: "Requests being served now.")
    }
    static var poolSizeName: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "db_pool_connections", unitName: "max", helpText: "Largest number of database connections.")
    }
    static var poolInUseName: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "db_pool_connections", unitName: "in_use", helpText: "Database connections leased now.")
    }
    static var requestsName: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "http_requests", unitName: "total", helpText: "Requests served.")
    }
    static var durationName: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "http_request_duration", unitName: "seconds", helpText: "Time to serve a request.")
    }

    static var taskPagesName: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "task_page_cache_lookups", unitName: "total",
            helpText: "Task listings by how the page cache answered: hit, miss (read and kept), bypass (changes not trackable then, or the cache is off)."
        )
    }

    static var chatTurnsName: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "chat_turns", unitName: "total", helpText: "Chat turns by outcome (done, error).")
    }
    static var chatTurnDurationName: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "chat_turn_duration", unitName: "seconds", helpText: "Time of a chat turn, model included.")
    }
    static var toolCallsName: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "agent_tool_calls", unitName: "total", helpText: "Tool calls of the agent by tool and outcome.")
    }

    static var tokensName: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "llm_tokens", unitName: "total", helpText: "Model tokens the server reported, by model and kind (prompt, completion).")
    }

    private let chatTurns = Mutex<[String: Counter]>([:])
    private let tokens = Mutex<[String: Counter]>([:])
    private let toolCalls = Mutex<[String: Counter]>([:])
    private let chatDurations = Mutex<DurationHistogram?>(nil)

    /// Records a finished chat turn.
    func chatTurnFinished(outcome: String, duration: Duration) {
        counter(in: chatTurns, key: outcome, descriptor: Self.chatTurnsName, labels: [("outcome", outcome)]).increment()
        let histogram = chatDurations.withLock { cached in
            if let cached { return cached }
            let created = registry.makeDurationHistogram(descriptor: Self.chatTurnDurationName, buckets: buckets)
            cached = created
            return created
        }
        histogram.record(duration)
    }

    /// Records the tokens of one model step.
    func tokensUsed(model: String, _ usage: TokenUsage) {
        counter(in: tokens, key: model + "/prompt", descriptor: Self.tokensName, labels: [("model", model), ("kind", "prompt")])
            .increment(by: Int64(usage.prompt))
        counter(in: tokens, key: model + "/completion", descriptor: Self.tokensName, labels: [("model", model), ("kind", "completion")])
            .increment(by: Int64(usage.completion))
    }

    /// Records one tool call of the agent.
    func toolCalled(_ tool: String, failed: Bool) {
        let outcome = failed ? "error" : "ok"
        counter(in: toolCalls, key: "\(tool)/\(outcome)", descriptor: Self.toolCallsName, labels: [("tool", tool), ("outcome", outcome)]).increment()
    }

    private func counter(in cache: borrowing Mutex<[String: Counter]>, key: String, descriptor: MetricNameDescriptor, labels: [(String, String)]) -> Counter {
        cache.withLock { counters in
            if let cached = counters[key] { return cached }
            let created = registry.makeCounter(descriptor: descriptor, labels: labels)
            counters[key] = created
            return created
        }
    }

    struct RouteKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    struct RouteMetrics {
        let requests: Counter
        let duration: DurationHistogram
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        inFlight = registry.makeGauge(descriptor: Self.inFlightName)
        poolSize = registry.makeGauge(descriptor: Self.poolSizeName)
        poolInUse = registry.makeGauge(descriptor: Self.poolInUseName)
        taskPages = Dictionary(uniqueKeysWithValues: TaskPageCache.Outcome.allCases.map { outcome in
            (outcome, registry.makeCounter(descriptor: Self.taskPagesName, labels: [("outcome", outcome.rawValue)]))
        })
    }

    /// Records how the page cache answered one task listing.
    func taskPageServed(_ outcome: TaskPageCache.Outcome) { taskPages[outcome]?.increment() }

    func requestStarted() { inFlight.increment() }

    /// Records one finished request; the metric handles are cached per route, method and status.
    func requestFinished(route: String, method: HTTPRequest.Method, status: Int, duration: Duration) {
        inFlight.decrement()
        let key = RouteKey(route: route, method: Self.methodLabel(method), status: status)
        let metrics = routes.withLock { cache in
            if let cached = cache[key] { return cached }
            let labels = [("route", route), ("method", Self.methodLabel(method)), ("status", String(status))]
            let created = RouteMetrics(
                requests: registry.makeCounter(descriptor: Self.requestsName, labels: labels),
                duration: registry.makeDurationHistogram(descriptor: Self.durationName, labels: labels, buckets: buckets)
            )
            cache[key] = created
            return created
        }
        metrics.requests.increment()
        metrics.duration.record(duration)
    }

    /// The standard methods by name and every other token as `other`: over HTTP/2 a client may send any token as its
    /// method, and each new label value would be a new series kept forever.
    static func methodLabel(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .patch, .delete, .options: method.rawValue
        default: "other"
        }
    }

    /// The exposition text, with the pool gauges read at scrape time.
    func render(pool: PoolUsage) -> [UInt8] {
        poolSize.set(Double(pool.size))
        poolInUse.set(Double(pool.inUse))
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8192)
        registry.emit(into: &buffer)
        return buffer
    }
}

/// Counts requests and their latency by matched route (not raw path, which would explode cardinality).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let metrics: APIMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        metrics.requestStarted()
        do {
            var response = try await next(request, context)
            let status = response.status.code
            let route = context.endpointPath ?? "unmatched"
            let metrics = self.metrics
            response.body = response.body.whenWritten {
                metrics.requestFinished(route: route, method: request.method, status: status, duration: ContinuousClock.now - start)
            }
            return response
        } catch {
            metrics.requestFinished(
                route: context.endpointPath ?? "unmatched", method: request.method,
                status: (error as? any HTTPResponseError)?.status.code ?? 500,
                duration: ContinuousClock.now - start
            )
            throw error
        }
    }
}
