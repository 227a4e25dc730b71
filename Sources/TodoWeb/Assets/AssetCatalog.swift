import Crypto
import Foundation
import NIOCore

/// The web UI's files, prepared once at start-up: each asset is named by a hash of its content
/// (`app.3f9c1b2a4d.js`) so it can be cached for a year, module imports are rewritten to those names, text is
/// gzipped, and the page links the hashed names.
public struct AssetCatalog: Sendable {
    /// One file as it is served.
    public struct Asset: Sendable {
        public let body: ByteBuffer
        public let gzipped: ByteBuffer?
        public let contentType: String
        public let etag: String
    }

    /// Hashed name → asset.
    public let assets: [String: Asset]
    /// The page, with the hashed names filled in.
    public let page: Asset
    /// Original name → hashed name.
    public let names: [String: String]

    static let contentTypes = [
        "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "svg": "image/svg+xml",
        "html": "text/html; charset=utf-8", "png": "image/png", "ico": "image/x-icon", "json": "application/json",
    ]

    /// Loads the files of the module's `web` resource folder.
    public static func bundled() throws -> AssetCatalog {
        guard let folder = Bundle.module.url(forResource: "web", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the web UI resources are missing from the bundle"])
        }
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasPrefix(".") {
            files[name] = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
        }
        return try AssetCatalog(files: files)
    }

    /// Builds the catalog from file contents by name; `index.html` is the page.
    public init(files: [String: [UInt8]]) throws {
        guard let page = files["index.html"] else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "index.html is missing"])
        }
        var names: [String: String] = [:]
        var contents: [String: [UInt8]] = [:]
        // A module's name hashes its rewritten content, so its imports must be named first.
        func resolve(_ name: String, _ visiting: Set<String>) {
            guard names[name] == nil, let original = files[name], !visiting.contains(name) else { return }
            var text = original
            if name.hasSuffix(".js") {
                var source = String(decoding: original, as: UTF8.self)
                for dependency in Self.imports(in: source) where files[dependency] != nil {
                    resolve(dependency, visiting.union([name]))
                    if let hashed = names[dependency] { source = source.replacingOccurrences(of: "\"./\(dependency)\"", with: "\"./\(hashed)\"") }
                }
                text = Array(source.utf8)
            }
            names[name] = Self.hashedName(name, text)
            contents[name] = text
        }
        for name in files.keys.sorted() where name != "index.html" { resolve(name, []) }

        var assets: [String: Asset] = [:]
        for (name, text) in contents {
            let ext = String(name.split(separator: ".").last ?? "")
            assets[names[name]!] = Self.asset(text, type: Self.contentTypes[ext] ?? "application/octet-stream")
        }
        var html = String(decoding: page, as: UTF8.self)
        for (name, hashed) in names { html = html.replacingOccurrences(of: "/assets/\(name)\"", with: "/assets/\(hashed)\"") }
        self.assets = assets
        self.names = names
        self.page = Self.asset(Array(html.utf8), type: Self.contentTypes["html"]!)
    }

    /// The `./name.js` specifiers of static and dynamic imports.
    static func imports(in source: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: #"(?:from\s*|import\s*\(\s*)"\./([A-Za-z0-9_.-]+\.js)""#) else { return [] }
        return regex.matches(in: source, range: NSRange(source.startIndex..., in: source)).compactMap {
            Range($0.range(at: 1), in: source).map { String(source[$0]) }
        }
    }

    static func hashedName(_ name: String, _ content: [UInt8]) -> String {
        let digest = SHA256.hash(data: content).prefix(5).map { String(format: "%02x", $0) }.joined()
        guard let dot = name.lastIndex(of: ".") else { return "\(name).\(digest)" }
        return "\(name[..<dot]).\(digest)\(name[dot...])"
    }

    static func asset(_ content: [UInt8], type: String) -> Asset {
        let isText = type.hasPrefix("text/") || type.contains("javascript") || type.contains("json") || type.contains("svg")
        let gzipped = isText && content.count > 512 ? Gzip.compress(content).map { ByteBuffer(bytes: $0) } : nil
        let etag = "\"" + SHA256.hash(data: content).prefix(8).map { String(format: "%02x", $0) }.joined() + "\""
        return Asset(body: ByteBuffer(bytes: content), gzipped: gzipped, contentType: type, etag: etag)
    }
}
