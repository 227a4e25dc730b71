import Foundation

/// Web origins (`scheme://host[:port]`), as browsers send them in `Origin` and as JWT issuers are named.
public enum WebOrigin {
    /// The origin of an http(s) URL: lower case, without a default port, an IPv6 host in brackets; nil for anything
    /// else (including `null` and other schemes).
    public static func of(_ url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = components.port.flatMap { $0 == defaultPort ? nil : ":\($0)" } ?? ""
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed)\(port)"
    }
}
