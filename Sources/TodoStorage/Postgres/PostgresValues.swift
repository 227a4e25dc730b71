import Foundation
import NIOCore
import PostgresNIO

/// JSON text sent as `jsonb` in binary form (a version byte, then the text), so no `::jsonb` casts are needed.
struct JSONBText: PostgresDynamicTypeEncodable {
    let text: String
    var psqlType: PostgresDataType { .jsonb }
    var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger(UInt8(1))
        byteBuffer.writeString(text)
    }
}

/// A `timestamptz` rounded to the nearest microsecond. PostgresNIO's own `Date` encoding truncates, so a timestamp
/// read back and bound again (a keyset cursor) could land one microsecond early and repeat a row.
struct PostgresTimestamp: PostgresDynamicTypeEncodable {
    let microsecondsSince2000: Int64

    /// 2000-01-01T00:00:00Z, PostgreSQL's epoch.
    static let epoch = Date(timeIntervalSince1970: 946_684_800)

    init(_ date: Date) {
        microsecondsSince2000 = Int64((date.timeIntervalSince(Self.epoch) * 1_000_000).rounded())
    }

    var psqlType: PostgresDataType { .timestamptz }
    var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger(microsecondsSince2000)
    }
}

enum PostgresValues {
    static func bindings(_ values: [SQLValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .int(let value): bindings.append(value)
            case .double(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .bool(let value): bindings.append(value)
            case .date(let value): bindings.append(PostgresTimestamp(value))
            case .json(let value): bindings.append(JSONBText(text: value))
            }
        }
        return bindings
    }

    static func row(_ row: PostgresRow, names: [String]) throws -> SQLRow {
        var values: [SQLValue] = []
        values.reserveCapacity(row.count)
        for cell in row { values.append(try value(cell)) }
        return SQLRow(names: names, values: values)
    }

    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard var bytes = cell.bytes else { return .null }
        if cell.format == .binary, let value = binary(cell.dataType, &bytes) { return value }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid: return .int(try cell.decode(Int64.self))
        case .float4, .float8, .numeric: return .double(try cell.decode(Double.self))
        case .bool: return .bool(try cell.decode(Bool.self))
        case .timestamptz, .timestamp, .date: return .date(try cell.decode(Date.self))
        case .jsonb:
            if cell.format == .binary { bytes.moveReaderIndex(forwardBy: 1) }
            return .json(String(buffer: bytes))
        case .json: return .json(String(buffer: bytes))
        default:
            if cell.format == .text { return .text(String(buffer: bytes)) }
            return .text((try? cell.decode(String.self)) ?? String(buffer: bytes))
        }
    }

    /// The common binary forms read straight from the bytes; PostgresNIO's generic decoding of each cell cost more
    /// than the rest of a task list's row handling. Nil for anything else, which takes the general path.
    private static func binary(_ type: PostgresDataType, _ bytes: inout ByteBuffer) -> SQLValue? {
        switch (type, bytes.readableBytes) {
        case (.int8, 8): bytes.readInteger(as: Int64.self).map { .int($0) }
        case (.int4, 4): bytes.readInteger(as: Int32.self).map { .int(Int64($0)) }
        case (.int2, 2): bytes.readInteger(as: Int16.self).map { .int(Int64($0)) }
        case (.bool, 1): bytes.readInteger(as: UInt8.self).map { .bool($0 != 0) }
        case (.float8, 8): bytes.readInteger(as: UInt64.self).map { .double(Double(bitPattern: $0)) }
        case (.text, _), (.varchar, _): .text(String(buffer: bytes))
        case (.timestamptz, 8), (.timestamp, 8):
            // Microseconds since 2000-01-01 UTC, read exactly as PostgresNIO's `Date` decoding reads them.
            bytes.readInteger(as: Int64.self).map { .date(Date(timeInterval: Double($0) / 1_000_000, since: PostgresTimestamp.epoch)) }
        default: nil
        }
    }
}
