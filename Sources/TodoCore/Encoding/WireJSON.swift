import Foundation

/// The one JSON encoding of API values (sorted keys, ISO-8601 milliseconds in UTC), shared by responses and the
/// change log so an event carries a task exactly as `GET /api/tasks` shows it.
public enum WireJSON {
    public static func encode(_ value: some Encodable) -> Data {
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
        String(decoding: encode(value), as: UTF8.self)
    }
}
