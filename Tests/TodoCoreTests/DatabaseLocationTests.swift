import Testing
import TodoCore

@Suite struct DatabaseLocationTests {
    @Test func acceptsANeonConnectionStringExactlyAsPrinted() throws {
        let url = "postgresql://alex:AbC123dEf@ep-cool-name-123456.eu-central-1.aws.neon.tech/neondb?sslmode=require&channel_binding=require"
        guard case .postgres(let location) = try DatabaseLocation.parse(url) else {
            Issue.record("not parsed as PostgreSQL")
            return
        }
        #expect(location.host == "ep-cool-name-123456.eu-central-1.aws.neon.tech")
        #expect(location.port == 5432)
        #expect(location.username == "alex")
        #expect(location.password == "AbC123dEf")
        #expect(location.database == "neondb")
        #expect(location.tlsMode == .require)
        #expect(location.redacted == "postgresql://alex@ep-cool-name-123456.eu-central-1.aws.neon.tech:5432/neondb?sslmode=require")
    }

    @Test func acceptsPoolerHostsEndpointOptionsAndEncodedPasswords() throws {
        let url = "postgres://user:p%40ss%3Aw%2Fd@ep-cool-name-123456-pooler.us-east-2.aws.neon.tech:6543/app?sslmode=verify-full&sslrootcert=system&options=endpoint%3Dep-cool-name-123456&application_name=todo&connect_timeout=7"
        guard case .postgres(let location) = try DatabaseLocation.parse(url) else {
            Issue.record("not parsed as PostgreSQL")
            return
        }
        #expect(location.host == "ep-cool-name-123456-pooler.us-east-2.aws.neon.tech")
        #expect(location.port == 6543)
        #expect(location.password == "p@ss:w/d")
        #expect(location.tlsMode == .verifyFull)
        #expect(location.rootCertificatePath == nil)
        #expect(location.startupOptions == "endpoint=ep-cool-name-123456")
        #expect(location.applicationName == "todo")
        #expect(location.connectTimeoutSeconds == 7)
    }

    @Test func defaultsFollowLibpq() throws {
        guard case .postgres(let location) = try DatabaseLocation.parse("postgresql://me@localhost") else {
            Issue.record("not parsed as PostgreSQL")
            return
        }
        #expect(location.database == "me")
        #expect(location.password == nil)
        #expect(location.tlsMode == .prefer)
    }

    @Test(arguments: [
        ("postgresql://u:p@h/db?sslmode=allow", "sslmode 'allow' is not supported"),
        ("postgresql://u:p@h/db?sslcert=/x.pem", "parameter 'sslcert' is not supported"),
        ("postgresql://u:p@h/db?channel_binding=maybe", "channel_binding must be disable, prefer or require"),
        ("postgresql://u:p@/db", "has no host"),
        ("postgresql://h/db", "has no user name"),
        ("mysql://u:p@h/db", "must start with postgres://, postgresql:// or sqlite:"),
        ("sqlite:", "a sqlite URL needs a path"),
    ])
    func unsupportedFormsFailWithAClearReason(url: String, fragment: String) {
        let error = #expect(throws: ConfigError.self) { try DatabaseLocation.parse(url) }
        #expect(error?.key == "DATABASE_URL")
        #expect(error?.problem.contains(fragment) == true, "\(error?.problem ?? "")")
    }

    @Test func sqliteForms() throws {
        #expect(try DatabaseLocation.parse(nil) == .sqliteFile(path: "./data/todo.sqlite"))
        #expect(try DatabaseLocation.parse("") == .sqliteFile(path: "./data/todo.sqlite"))
        #expect(try DatabaseLocation.parse("sqlite:///var/lib/todo.sqlite") == .sqliteFile(path: "/var/lib/todo.sqlite"))
        #expect(try DatabaseLocation.parse("sqlite:data/x.sqlite") == .sqliteFile(path: "data/x.sqlite"))
        #expect(try DatabaseLocation.parse("sqlite::memory:") == .sqliteMemory)
        #expect(try DatabaseLocation.parse("sqlite://:memory:") == .sqliteMemory)
        #expect(try DatabaseLocation.parse("sqlite::memory:").isEmbedded)
    }
}
