import TodoCore

/// The request targets serve-web forwards: origin-form paths under `/api/`, checked before anything reaches the HTTP
/// client. The upstream URL is API_URL's scheme and authority plus what this returns, so a target that could move
/// the authority (`@host`, `//host`, a scheme, absolute- or authority-form) or climb out of `/api/` (dot segments,
/// their percent-encodings, encoded slashes or backslashes) is refused instead of rewritten.
enum ProxyPath {
    /// The path and query to forward, or nil when `target` is not a plain `/api/…` target.
    static func forwardable(_ target: String) -> String? {
        let bytes = Array(target.utf8)
        guard bytes.count <= 8192, bytes.starts(with: Array("/api/".utf8)) else { return nil }
        let queryStart = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.endIndex
        let path = bytes[..<queryStart]
        for byte in bytes where byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "#") {
            return nil
        }
        // In the path: no authority marker, no empty segment (`//`), no dot segment, and no percent-encoding of
        // anything that could change how the path is split or resolved.
        if path.contains(UInt8(ascii: "@")) { return nil }
        var index = path.startIndex
        while index < path.endIndex {
            if path[index] == UInt8(ascii: "%") {
                guard index + 2 < path.endIndex, let high = Hex.value(path[index + 1]), let low = Hex.value(path[index + 2])
                else { return nil }
                let decoded = high << 4 | low
                if decoded < 0x20 || decoded == 0x7F || decoded >= 0x80 || "./\\@%?#;".utf8.contains(decoded) { return nil }
                index += 3
            } else {
                index += 1
            }
        }
        let segments = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst()
        for (position, segment) in segments.enumerated() {
            let text = String(decoding: segment, as: UTF8.self)
            if text == "." || text == ".." { return nil }
            // An empty segment is only allowed last (a trailing slash).
            if segment.isEmpty, position < segments.count - 1 { return nil }
        }
        return target
    }
}
