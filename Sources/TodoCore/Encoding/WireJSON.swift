import Foundation

/// The one JSON encoding of API values (sorted keys, ISO-8601 milliseconds in UTC), shared by responses and the
/// change log so an event carries a task exactly as `GET /api/tasks` shows it.
public enum WireJSON {
    public static func encode(_ value: some Encodable) -> Data {
        if let writable = value as? any JSONWritable { return Data(bytes(writable)) }
        return encodedByFoundation(value)
    }

    /// The bytes of a value that writes itself, sized for a page of tasks.
    public static func bytes(_ value: some JSONWritable) -> [UInt8] {
        var json = JSONWriter(capacity: 16 * 1024)
        value.write(to: &json)
        return json.bytes
    }

    /// `JSONEncoder` with the wire settings; `JSONWritable` types must match what it writes.
    public static func encodedByFoundation(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The form Better Auth and JavaScript's Date.toJSON() produce.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    public static func text(_ value: some Encodable) -> String {
        if let writable = value as? any JSONWritable { return String(decoding: bytes(writable), as: UTF8.self) }
        return String(decoding: encodedByFoundation(value), as: UTF8.self)
    }
}
