import Foundation
import NIOCore
import TodoCore

/// Encodes response bodies; one shared encoder configuration for the whole API.
enum JSONBody {
    static func encode(_ value: some Encodable) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // ISO-8601 with milliseconds in UTC, the form Better Auth and JavaScript's Date.toJSON() produce.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return ByteBuffer(bytes: data)
    }
}
