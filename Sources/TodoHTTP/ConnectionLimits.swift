import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import NIOSSL

/// What a connection may cost before the server drops it: the answer to slow and silent clients (slowloris, slow
/// uploads, half-open TLS), shared by every server role.
public struct ConnectionLimits: Sendable {
    /// A whole request head must arrive within this after the connection (or HTTP/2 stream) opened; a TLS
    /// handshake must finish within it too.
    public var headerTimeout: Duration
    /// A request body must arrive whole within this after its head; otherwise 408 and close.
    public var bodyTimeout: Duration
    /// A keep-alive connection with nothing in flight is closed after this.
    public var idleTimeout: Duration
    /// A TLS connection on which no byte moves either way for this long is closed: the backstop for HTTP/2 clients
    /// that open no stream and never answer the server's GOAWAY ping. Longer than any legitimate silence (a
    /// non-streamed chat answer).
    public var silenceTimeout: Duration
    /// Connections held at once; more wait in the kernel's accept queue.
    public var maxConnections: Int

    public init(headerTimeout: Duration, bodyTimeout: Duration, idleTimeout: Duration, silenceTimeout: Duration, maxConnections: Int) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.silenceTimeout = silenceTimeout
        self.maxConnections = maxConnections
    }

    /// The limits of a test or an embedded server: generous, never in the way.
    public static let relaxed = ConnectionLimits(
        headerTimeout: .seconds(60), bodyTimeout: .seconds(60), idleTimeout: .seconds(120), silenceTimeout: .seconds(600),
        maxConnections: 10_000
    )

    /// The per-request guards, for every HTTP/1.1 connection and every HTTP/2 stream.
    var requestConfiguration: HTTP1Channel.Configuration {
        let (header, body, idle) = (TimeAmount(headerTimeout), TimeAmount(bodyTimeout), TimeAmount(idleTimeout))
        return HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestDeadlineHandler(headTimeout: header, keepAliveTimeout: idle, bodyTimeout: body)],
            idleTimeout: idle
        )
    }

    /// HTTP/1.1 in plain text, or HTTP/2 and HTTP/1.1 by ALPN over TLS, with these limits on every connection.
    public func serverBuilder(tls: TLSConfiguration?) throws -> HTTPServerBuilder {
        guard let tls else { return .http1(configuration: requestConfiguration) }
        var http2 = HTTP2UpgradeChannel.Configuration(
            idleTimeout: idleTimeout, gracefulCloseTimeout: .seconds(10), streamConfiguration: requestConfiguration
        )
        http2.maxAgeTimeout = nil
        // Fail now, with the caller's message, rather than when the server starts: a key that does not match.
        _ = try NIOSSLContext(configuration: tls)
        let (handshake, silence, configuration) = (TimeAmount(headerTimeout), TimeAmount(silenceTimeout), http2)
        return HTTPServerBuilder { responder in
            GuardedTLSChannel(
                base: try HTTP2UpgradeChannel(tlsConfiguration: tls, configuration: configuration, responder: responder),
                handshakeTimeout: handshake, silenceTimeout: silence
            )
        }
    }

    /// The cap on open connections, for `ApplicationConfiguration`.
    public func availableConnections(logger: Logger) -> MaximumAvailableConnections {
        MaximumAvailableConnections(maxConnections, logger: logger)
    }
}
