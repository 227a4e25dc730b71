import Foundation

/// A tool argument a model got wrong, phrased so the model can correct itself.
public struct ToolArgumentError: Error, Equatable, Sendable {
    public let message: String
}

/// Typed access to a tool call's arguments. Unknown keys are ignored, and so is `user_id`: the user is always
/// the authenticated one, never whoever the model names.
public struct ToolArguments: Sendable {
    let values: [String: JSONValue]

    public init(_ value: JSONValue?) throws(ToolArgumentError) {
        switch value {
        case nil, .null?: values = [:]
        case .object(let object)?: values = object
        default: throw ToolArgumentError(message: "Arguments must be a JSON object.")
        }
    }

    func present(_ name: String) -> JSONValue? {
        guard let value = values[name], value != .null else { return nil }
        return value
    }

    public func string(_ name: String) throws(ToolArgumentError) -> String? {
        guard let value = present(name) else { return nil }
        guard case .string(let text) = value else { throw ToolArgumentError(message: "Argument '\(name)' must be a string.") }
        return text
    }

    public func requiredString(_ name: String) throws(ToolArgumentError) -> String {
        guard let text = try string(name) else { throw ToolArgumentError(message: "Missing required argument '\(name)'.") }
        return text
    }

    /// Integers, also when a model sends them as digit strings ("3").
    public func integer(_ name: String) throws(ToolArgumentError) -> Int64? {
        guard let value = present(name) else { return nil }
        switch value {
        case .int(let number): return number
        case .double(let number) where number == number.rounded() && abs(number) < 9e15: return Int64(number)
        case .string(let text) where Int64(text.trimmingCharacters(in: .whitespaces)) != nil:
            return Int64(text.trimmingCharacters(in: .whitespaces))
        default: throw ToolArgumentError(message: "Argument '\(name)' must be an integer.")
        }
    }

    public func requiredInteger(_ name: String) throws(ToolArgumentError) -> Int64 {
        guard let number = try integer(name) else { throw ToolArgumentError(message: "Missing required argument '\(name)'.") }
        return number
    }

    /// true or false; also the strings "true" and "false", as some models send them.
    public func boolean(_ name: String) throws(ToolArgumentError) -> Bool? {
        guard let value = present(name) else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .string("true"): return true
        case .string("false"): return false
        default: throw ToolArgumentError(message: "Argument '\(name)' must be true or false.")
        }
    }

    /// A list of strings; a single string is taken as a list of one.
    public func strings(_ name: String) throws(ToolArgumentError) -> [String]? {
        guard let value = present(name) else { return nil }
        switch value {
        case .string(let text): return [text]
        case .array(let items):
            var strings: [String] = []
            for item in items {
                guard case .string(let text) = item else {
                    throw ToolArgumentError(message: "Argument '\(name)' must be a list of strings.")
                }
                strings.append(text)
            }
            return strings
        default: throw ToolArgumentError(message: "Argument '\(name)' must be a list of strings.")
        }
    }
}
