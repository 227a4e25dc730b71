import Foundation
import TodoCore

/// A JSON-RPC error code of the protocol's own range.
enum JSONRPCCode: Int64 {
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    case internalError = -32603
}

/// One JSON-RPC message a client posted, checked enough to route it and to reject bad parameters with `-32602`
/// before the SDK turns a decoding failure into an internal error.
public struct JSONRPCMessage: Sendable {
    enum Kind: Equatable, Sendable {
        case request(id: JSONValue, method: String)
        case notification(method: String)
        case response(id: JSONValue)
    }

    /// Why a message was refused, with the id to answer when the request had a usable one.
    struct Rejection: Error, Sendable {
        let code: JSONRPCCode
        let message: String
        var id: JSONValue = .null
    }

    let kind: Kind
    let params: JSONValue?

    /// The methods this server implements; any other request is `-32601`.
    static let methods: Set<String> = ["initialize", "ping", "tools/list", "tools/call"]

    static func parse(_ body: Data) throws(Rejection) -> JSONRPCMessage {
        guard let document = try? JSONDecoder().decode(JSONValue.self, from: body) else {
            throw Rejection(code: .parseError, message: "Parse error: the body is not valid JSON.")
        }
        guard case .object(let object) = document else {
            if case .array = document {
                throw Rejection(code: .invalidRequest, message: "Batches are not supported: send one JSON-RPC message per request.")
            }
            throw Rejection(code: .invalidRequest, message: "Invalid request: expected a JSON-RPC 2.0 object.")
        }
        let id = object["id"]
        if let id, !Self.isValidID(id) {
            throw Rejection(code: .invalidRequest, message: "Invalid request: id must be a string or an integer.")
        }
        guard object["jsonrpc"] == "2.0" else {
            throw Rejection(code: .invalidRequest, message: "Invalid request: jsonrpc must be \"2.0\".", id: id ?? .null)
        }
        if let method = object["method"] {
            guard case .string(let name) = method, !name.isEmpty else {
                throw Rejection(code: .invalidRequest, message: "Invalid request: method must be a string.", id: id ?? .null)
            }
            let params = object["params"]
            if let params, params != .null {
                guard case .object = params else {
                    throw Rejection(code: .invalidParams, message: "Invalid params: params must be an object.", id: id ?? .null)
                }
            }
            guard let id else { return JSONRPCMessage(kind: .notification(method: name), params: params) }
            let message = JSONRPCMessage(kind: .request(id: id, method: name), params: params)
            if let problem = message.paramsProblem {
                throw Rejection(code: .invalidParams, message: "Invalid params: \(problem)", id: id)
            }
            return message
        }
        guard let id, object["result"] != nil || object["error"] != nil else {
            throw Rejection(code: .invalidRequest, message: "Invalid request: a message needs a method, or an id with a result or error.")
        }
        return JSONRPCMessage(kind: .response(id: id), params: nil)
    }

    static func isValidID(_ id: JSONValue) -> Bool {
        switch id {
        case .string, .int: true
        default: false
        }
    }

    var method: String? {
        switch kind {
        case .request(_, let method), .notification(let method): method
        case .response: nil
        }
    }

    var isInitialize: Bool { method == "initialize" }

    /// What is wrong with the parameters of the methods we implement, in words a client developer can act on.
    var paramsProblem: String? {
        switch method {
        case "initialize":
            guard case .string? = params?["protocolVersion"] else { return "initialize needs params.protocolVersion (a string)." }
            guard case .object? = params?["capabilities"] else { return "initialize needs params.capabilities (an object)." }
            guard case .string? = params?["clientInfo"]?["name"], case .string? = params?["clientInfo"]?["version"] else {
                return "initialize needs params.clientInfo with a name and a version."
            }
        case "tools/call":
            guard case .string? = params?["name"] else { return "tools/call needs params.name (the tool's name)." }
            switch params?["arguments"] {
            case nil, .null?, .object?: break
            default: return "tools/call params.arguments must be an object."
            }
        case "tools/list":
            switch params?["cursor"] {
            case nil, .null?, .string?: break
            default: return "tools/list params.cursor must be a string."
            }
        default: break
        }
        return nil
    }

    /// A result response.
    static func result(_ result: JSONValue, id: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "result": result]
    }

    /// An error response.
    static func error(_ code: JSONRPCCode, _ message: String, id: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "error": ["code": .int(code.rawValue), "message": .string(message)]]
    }

    /// The body of an error response.
    static func errorBody(_ code: JSONRPCCode, _ message: String, id: JSONValue = .null) -> Data {
        Data(error(code, message, id: id).text.utf8)
    }
}
