import TodoCore

/// How the API signs and checks tokens: its public URL (issuer and audience of the JWTs it issues), an external
/// Better Auth's key set, and whether the hackathon backends' HS256 tokens are accepted.
public struct AuthConfiguration: Sendable {
    /// `BETTER_AUTH_URL`: the public URL of the API, when it has one.
    public var publicURL: String?
    /// `AUTH_JWKS_URL`: the JWKS of an external Better Auth whose tokens are accepted too.
    public var jwksURL: String?
    /// `iss` and `aud` that the external Better Auth's tokens must carry.
    public var jwksIssuer: String?
    public var jwksAudience: String?
    /// HS256 tokens signed with `BETTER_AUTH_SECRET` are accepted only when this is set.
    public var acceptsHS256Tokens = false

    public init() {}

    /// The `iss` (and `aud`) of the tokens this server issues: the public URL's origin, as Better Auth's JWT plugin
    /// sets them (`https://todo.example.com`, whatever path `BETTER_AUTH_URL` has).
    public var issuer: String { publicURL.map { WebOrigin.of($0) ?? $0 } ?? "todo-chatbot" }

    /// The key set of the external Better Auth, when one is configured.
    public func externalKeys() -> ExternalKeySet? {
        jwksURL.map { ExternalKeySet(url: $0, issuer: jwksIssuer, audience: jwksAudience) }
    }

    public var hs256: HS256Policy { acceptsHS256Tokens ? .accepted(issuer: publicURL) : .refused }
}
