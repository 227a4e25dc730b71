/// An incremental parser of server-sent events: feed it bytes as they arrive, in chunks of any size, and it
/// returns the events completed so far. It handles LF, CRLF and CR line ends, `:` comments, multi-line `data:`
/// and the `event:` and `id:` fields; the caller decides what `[DONE]` means.
public struct SSEParser: Sendable {
    /// One dispatched event.
    public struct Event: Sendable, Equatable {
        public var event: String?
        public var data: String
        public var id: String?

        public init(event: String? = nil, data: String, id: String? = nil) {
            self.event = event
            self.data = data
            self.id = id
        }
    }

    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var event: String?
    private var id: String?
    private var afterCR = false
    /// A line longer than this is cut, so a peer cannot make the parser hold unbounded memory.
    public let maxLineBytes: Int

    public init(maxLineBytes: Int = 1 << 20) {
        self.maxLineBytes = maxLineBytes
        line.reserveCapacity(256)
    }

    /// Parses the next bytes; returns the events they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Event] {
        var events: [Event] = []
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0A:
                endLine(into: &events)
            case 0x0D:
                afterCR = true
                endLine(into: &events)
            default:
                if line.count < maxLineBytes { line.append(byte) }
            }
        }
        return events
    }

    /// Ends the stream: an event whose blank line never came is dispatched too (lenient with servers that close
    /// right after the last `data:` line).
    public mutating func finish() -> [Event] {
        var events: [Event] = []
        if !line.isEmpty { endLine(into: &events) }
        if hasData { dispatch(into: &events) }
        return events
    }

    private mutating func endLine(into events: inout [Event]) {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else {
            dispatch(into: &events)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        var valueStart = colon < line.endIndex ? colon + 1 : line.endIndex
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let field = line[..<colon]
        let value = line[valueStart...]
        if field.elementsEqual("data".utf8) {
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        } else if field.elementsEqual("event".utf8) {
            event = String(decoding: value, as: UTF8.self)
        } else if field.elementsEqual("id".utf8) {
            id = String(decoding: value, as: UTF8.self)
        }
    }

    private mutating func dispatch(into events: inout [Event]) {
        if hasData {
            events.append(Event(event: event, data: String(decoding: data, as: UTF8.self), id: id))
        }
        data.removeAll(keepingCapacity: true)
        hasData = false
        event = nil
    }
}
