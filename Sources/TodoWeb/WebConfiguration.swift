/// What serve-web is configured with: its listener and the API it proxies `/api` to.
public struct WebConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 3000
    /// Whether the server terminates TLS itself (responses then carry HSTS).
    public var servesTLS = false
    /// `API_URL`: where `/api` is proxied.
    public var apiURL = "http://127.0.0.1:8000"
    /// A PEM CA trusted for an `https://` API besides the system's roots.
    public var apiCAFile: String?
    /// Connections kept to the API: enough that long chat streams cannot starve short requests.
    public var proxyConnections = 256
    /// The API's chat turn deadline, which the proxy's chat deadline follows.
    public var agentTimeout = Duration.seconds(60)

    public init() {}
}
