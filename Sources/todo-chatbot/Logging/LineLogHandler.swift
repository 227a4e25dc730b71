import Foundation
import Logging
import TodoCore

/// Writes one line per log event to standard error: readable text, or one JSON object a line for collectors.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let format: Settings.LogFormat

    public init(label: String, level: Logger.Level, format: Settings.LogFormat) {
        self.label = label
        self.logLevel = level
        self.format = format
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var line = render(level: event.level, message: event.message.description, metadata: merged, date: Date())
        line.append("\n")
        line.utf8.withContiguousStorageIfAvailable { bytes in
            // One write(2) per line keeps lines whole when several threads log at once.
            _ = Foundation.write(2, bytes.baseAddress, bytes.count)
        } ?? { FileHandle.standardError.write(Data(line.utf8)) }()
    }

    /// The line for one event, without the newline.
    public func render(level: Logger.Level, message: String, metadata: Logger.Metadata, date: Date) -> String {
        let keys = metadata.keys.sorted()
        switch format {
        case .json:
            var fields = [
                "\"ts\":\(Self.quoted(Timestamp.format(date)))", "\"level\":\(Self.quoted(level.rawValue))",
                "\"logger\":\(Self.quoted(label))", "\"msg\":\(Self.quoted(message))",
            ]
            for key in keys where !["ts", "level", "logger", "msg"].contains(key) {
                fields.append("\(Self.quoted(key)):\(Self.quoted(metadata[key]!.description))")
            }
            return "{" + fields.joined(separator: ",") + "}"
        case .text:
            var line = "\(Timestamp.format(date)) \(level.rawValue.uppercased()) \(message)"
            for key in keys { line += " \(key)=\(metadata[key]!.description)" }
            return line
        }
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
