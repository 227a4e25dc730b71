import NIOSSL
import Synchronization
import TodoCore

/// The certificate chain and private key a server presents, read from TLS_CERT_FILE and TLS_KEY_FILE at start
/// and again by `reload()` (on SIGHUP), for example after cert-manager or certbot renewed them.
final class ServerCertificate: Sendable {
    /// A chain and the key that belongs to its first certificate.
    struct Pair: Sendable, Equatable {
        var chain: [NIOSSLCertificateSource]
        var key: NIOSSLPrivateKeySource
    }

    let certFile: String
    let keyFile: String
    private let pair: Mutex<Pair>

    /// Nil when the settings ask for plain HTTP; a certificate or key that does not load stops the start.
    init?(_ settings: Settings) throws {
        guard let certFile = settings.tlsCertFile, let keyFile = settings.tlsKeyFile else { return nil }
        self.certFile = certFile
        self.keyFile = keyFile
        do {
            pair = Mutex(try Self.read(certFile: certFile, keyFile: keyFile))
        } catch {
            throw Startup.fail("configuration error: TLS_CERT_FILE/TLS_KEY_FILE: cannot load the certificate or key (\(error))", code: 2)
        }
    }

    var current: Pair { pair.withLock { $0 } }

    /// What a new handshake presents: the pair loaded last.
    var handshakeOverride: NIOSSLContextConfigurationOverride {
        var override = NIOSSLContextConfigurationOverride()
        let current = self.current
        override.certificateChain = current.chain
        override.privateKey = current.key
        return override
    }

    /// Reads both files again. A pair that does not load, or whose key does not match the certificate, is refused
    /// and the running one stays. Returns whether the pair changed.
    @discardableResult
    func reload() throws -> Bool {
        let fresh = try Self.read(certFile: certFile, keyFile: keyFile)
        return pair.withLock { current in
            guard current != fresh else { return false }
            current = fresh
            return true
        }
    }

    static func read(certFile: String, keyFile: String) throws -> Pair {
        let chain = try NIOSSLCertificate.fromPEMFile(certFile).map { NIOSSLCertificateSource.certificate($0) }
        let fresh = Pair(chain: chain, key: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem)))
        // BoringSSL refuses a key that does not match the leaf certificate when a context is made from them.
        _ = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: fresh.chain, privateKey: fresh.key))
        return fresh
    }
}
