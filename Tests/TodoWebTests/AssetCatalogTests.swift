import Foundation
import NIOCore
import Testing
@testable import TodoWeb

@Suite struct AssetCatalogTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func assetsAreNamedByContentAndImportsFollowTheirNames() throws {
        let files = [
            "index.html": Self.bytes(#"<link href="/assets/app.css"><script type="module" src="/assets/app.js"></script>"#),
            "app.js": Self.bytes(#"import { x } from "./util.js"; const later = import("./util.js");"#),
            "util.js": Self.bytes("export const x = 1;"),
            "app.css": Self.bytes("body { color: red; }"),
        ]
        let catalog = try AssetCatalog(files: files)
        let app = try #require(catalog.names["app.js"])
        let util = try #require(catalog.names["util.js"])
        #expect(app.range(of: #"^app\.[0-9a-f]{10}\.js$"#, options: .regularExpression) != nil)
        let page = String(buffer: catalog.page.body)
        #expect(page.contains("/assets/\(app)\""))
        #expect(page.contains("/assets/\(catalog.names["app.css"]!)\""))
        let source = String(buffer: try #require(catalog.assets[app]).body)
        #expect(source == #"import { x } from "./\#(util)"; const later = import("./\#(util)");"#)

        // A change in a dependency renames the module that imports it, so no browser keeps a stale import.
        var changed = files
        changed["util.js"] = Self.bytes("export const x = 2;")
        let next = try AssetCatalog(files: changed)
        #expect(next.names["util.js"] != util)
        #expect(next.names["app.js"] != app)
        #expect(next.names["app.css"] == catalog.names["app.css"])
    }

    @Test func textIsGzippedAndTheBundledUIIsComplete() throws {
        let catalog = try AssetCatalog.bundled()
        let script = try #require(catalog.names["app.js"].flatMap { catalog.assets[$0] })
        let gzipped = try #require(script.gzipped)
        #expect(gzipped.readableBytes < script.body.readableBytes)
        #expect(Array(gzipped.readableBytesView.prefix(2)) == [0x1F, 0x8B], "a gzip stream")
        let page = String(buffer: catalog.page.body)
        #expect(!page.contains("<script>"), "no inline script")
        #expect(!page.contains("style=\""), "no inline style")
        for name in ["app.js", "api.js", "chat.js", "tasks.js", "markdown.js", "dom.js", "app.css", "icon.svg"] {
            #expect(catalog.names[name] != nil, "\(name) is bundled")
        }
        // Every module import resolves to a bundled asset.
        for (_, asset) in catalog.assets where asset.contentType.contains("javascript") {
            for dependency in AssetCatalog.imports(in: String(buffer: asset.body)) {
                #expect(catalog.assets[dependency] != nil, "\(dependency) is served")
            }
        }
    }
}
