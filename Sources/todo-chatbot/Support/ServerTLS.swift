import Hummingbird
import HummingbirdCore
import NIOSSL
import TodoCore
import TodoHTTP

/// HTTP, or HTTPS when TLS_CERT_FILE and TLS_KEY_FILE are set: the server roles terminate TLS themselves where no
/// mesh or ingress does it for them. Over TLS, ALPN offers HTTP/2 and HTTP/1.1; plain HTTP stays HTTP/1.1. Either
/// way every connection is held to the role's `ConnectionLimits`.
enum ServerTLS {
    static func builder(_ certificate: ServerCertificate?, settings: Settings) throws -> HTTPServerBuilder {
        let limits = connectionLimits(settings)
        guard let certificate else { return try limits.serverBuilder(tls: nil) }
        let current = certificate.current
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: current.chain, privateKey: current.key)
        // Each handshake takes the certificate loaded last, so a reload reaches new connections while the open ones
        // keep the session they have.
        configuration.sslContextCallback = { _, promise in promise.succeed(certificate.handshakeOverride) }
        do {
            return try limits.serverBuilder(tls: configuration)
        } catch {
            throw Startup.fail("configuration error: TLS_CERT_FILE/TLS_KEY_FILE: \(error)", code: 2)
        }
    }

    /// The slow-client limits of the settings. The silence backstop outlasts the longest quiet wait a legitimate
    /// client has: a chat answer that is not streamed (`AGENT_TIMEOUT`, and the proxy's margin on top).
    static func connectionLimits(_ settings: Settings) -> ConnectionLimits {
        ConnectionLimits(
            headerTimeout: settings.headerTimeout, bodyTimeout: settings.bodyTimeout, idleTimeout: settings.idleTimeout,
            silenceTimeout: max(settings.idleTimeout, settings.agentTimeout + .seconds(15)) + .seconds(5),
            maxConnections: settings.maxConnections
        )
    }
}
