import Foundation
import MCP
import TodoCore

/// Our transport-neutral JSON and the MCP SDK's `Value` carry the same documents; these convert at the boundary.
extension JSONValue {
    init(_ value: MCP.Value) {
        switch value {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .int(let int): self = .int(Int64(int))
        case .double(let double): self = .double(double)
        case .string(let string): self = .string(string)
        case .data(_, let data): self = .string(data.base64EncodedString())
        case .array(let array): self = .array(array.map(JSONValue.init))
        case .object(let object): self = .object(object.mapValues(JSONValue.init))
        }
    }

    var mcpValue: MCP.Value {
        switch self {
        case .null: .null
        case .bool(let bool): .bool(bool)
        case .int(let int): .int(Int(int))
        case .double(let double): .double(double)
        case .string(let string): .string(string)
        case .array(let array): .array(array.map(\.mcpValue))
        case .object(let object): .object(object.mapValues(\.mcpValue))
        }
    }
}
