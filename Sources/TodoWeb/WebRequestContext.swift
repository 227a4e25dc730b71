import Hummingbird
import NIOCore

/// The request context of serve-web: Hummingbird's storage and the peer's address for `X-Forwarded-For`.
public struct WebRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: String?

    /// Bodies pass through to the API, which enforces its own limit; this only stops absurd uploads.
    public var maxUploadSize: Int { 1 << 20 }

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
