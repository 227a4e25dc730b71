import Hummingbird

/// The request context of serve-api: Hummingbird's core storage plus our request id.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The `X-Request-Id` of this request, accepted from the client or generated.
    public var requestID = ""
    /// The peer's IP address, for the session record.
    public let remoteAddress: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
