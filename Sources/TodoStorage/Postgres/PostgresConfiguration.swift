import NIOCore
import NIOSSL
import PostgresNIO
import TodoCore

/// Maps a parsed `DATABASE_URL` onto PostgresNIO's pool and single-connection configurations.
enum PostgresConfiguration {
    /// The NIOSSL settings for the URL's `sslmode`, or nil when TLS is disabled.
    static func tlsSettings(_ location: PostgresLocation) throws -> TLSConfiguration? {
        let verification: CertificateVerification
        switch location.tlsMode {
        case .disable: return nil
        // libpq's `prefer` and `require` encrypt without verifying the certificate.
        case .prefer, .require: verification = .none
        case .verifyCA: verification = .noHostnameVerification
        case .verifyFull: verification = .fullVerification
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = verification
        if let path = location.rootCertificatePath {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path))
            } catch {
                throw TodoError.unavailable("DATABASE_URL: cannot read the sslrootcert file \(path)")
            }
        }
        return configuration
    }

    static func client(_ location: PostgresLocation, poolSize: Int) throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch (location.tlsMode, try tlsSettings(location)) {
            case (_, nil): .disable
            case (.prefer, let settings?): .prefer(settings)
            case (_, let settings?): .require(settings)
            }
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username,
            password: location.password, database: location.database, tls: tls
        )
        configuration.options.maximumConnections = poolSize
        configuration.options.minimumConnections = 0
        configuration.options.connectionIdleTimeout = .seconds(60)
        if let seconds = location.connectTimeoutSeconds { configuration.options.connectTimeout = .seconds(seconds) }
        configuration.options.additionalStartupParameters = startupParameters(location)
        return configuration
    }

    static func connection(_ location: PostgresLocation) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            switch (location.tlsMode, try tlsSettings(location)) {
            case (_, nil): .disable
            case (.prefer, let settings?): .prefer(try NIOSSLContext(configuration: settings))
            case (_, let settings?): .require(try NIOSSLContext(configuration: settings))
            }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username,
            password: location.password, database: location.database, tls: tls
        )
        configuration.options.additionalStartupParameters = startupParameters(location)
        if let seconds = location.connectTimeoutSeconds {
            configuration.options.connectTimeout = .seconds(Int64(seconds))
        }
        return configuration
    }

    private static func startupParameters(_ location: PostgresLocation) -> [(String, String)] {
        var parameters: [(String, String)] = [("application_name", location.applicationName ?? "todo-chatbot")]
        if let options = location.startupOptions { parameters.append(("options", options)) }
        return parameters
    }
}
