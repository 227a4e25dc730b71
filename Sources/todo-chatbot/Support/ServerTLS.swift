import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import TodoCore

/// HTTP, or HTTPS when TLS_CERT_FILE and TLS_KEY_FILE are set: the server roles terminate TLS themselves where no
/// mesh or ingress does it for them.
enum ServerTLS {
    static func builder(_ settings: Settings) throws -> HTTPServerBuilder {
        guard let certFile = settings.tlsCertFile, let keyFile = settings.tlsKeyFile else { return .http1() }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certFile).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            configuration.applicationProtocols = ["http/1.1"]
            return try .tls(.http1(), tlsConfiguration: configuration)
        } catch {
            throw Startup.fail("configuration error: TLS_CERT_FILE/TLS_KEY_FILE: cannot load the certificate or key (\(error))", code: 2)
        }
    }
}
