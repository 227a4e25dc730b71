import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import NIOSSL
import TodoCore

/// HTTP, or HTTPS when TLS_CERT_FILE and TLS_KEY_FILE are set: the server roles terminate TLS themselves where no
/// mesh or ingress does it for them. Over TLS, ALPN offers HTTP/2 and HTTP/1.1; plain HTTP stays HTTP/1.1.
enum ServerTLS {
    static func builder(_ certificate: ServerCertificate?) throws -> HTTPServerBuilder {
        guard let certificate else { return .http1() }
        let current = certificate.current
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: current.chain, privateKey: current.key)
        // Each handshake takes the certificate loaded last, so a reload reaches new connections while the open ones
        // keep the session they have.
        configuration.sslContextCallback = { _, promise in promise.succeed(certificate.handshakeOverride) }
        do {
            return try .http2Upgrade(tlsConfiguration: configuration)
        } catch {
            throw Startup.fail("configuration error: TLS_CERT_FILE/TLS_KEY_FILE: \(error)", code: 2)
        }
    }
}
