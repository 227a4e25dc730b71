import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TodoCore

/// `chat --api-url`: one turn through a running serve-api, read as it streams.
struct RemoteChat {
    let baseURL: String
    let token: String

    /// A failure the server or the connection reported, in one line.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends the message and prints the reply; returns the conversation and how many deletes wait for a yes.
    func send(_ message: String, conversationID: Int64?, timeZone: TimeZone, json: Bool) async throws -> ChatOutcome {
        var request = HTTPClientRequest(url: (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + "/api/chat")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        var body: [String: JSONValue] = ["message": .string(message), "time_zone": .string(timeZone.identifier)]
        if let conversationID { body["conversation_id"] = .int(conversationID) }
        request.body = .bytes(ByteBuffer(string: JSONValue.object(body).text))
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        } catch {
            throw Failure(description: "cannot reach \(baseURL): \(error)")
        }
        guard response.status == .ok else {
            let text = (try? await response.body.collect(upTo: 64 << 10)).map { String(buffer: $0) } ?? ""
            let reason = JSONValue.parse(text)?["error"]?["message"]?.stringValue ?? response.status.reasonPhrase
            throw Failure(description: "\(response.status.code): \(reason)")
        }
        var parser = SSEParser()
        var conversation = conversationID
        var held = 0
        for try await chunk in response.body {
            for event in parser.feed(chunk.readableBytesView) {
                guard let data = JSONValue.parse(event.data) else { continue }
                switch event.event {
                case "conversation":
                    if case .int(let id)? = data["conversation_id"] { conversation = id }
                case "text-delta":
                    if !json { ChatPrinter.write(data["delta"]?.stringValue ?? "") }
                case "done":
                    ChatPrinter.write(json ? data.text + "\n" : ChatPrinter.footer(data))
                    held = ChatPrinter.held(data)
                case "error":
                    if !json { ChatPrinter.write("\n") }
                    throw Failure(description: data["message"]?.stringValue ?? "the turn failed")
                default:
                    break
                }
            }
        }
        guard let conversation else { throw Failure(description: "the server ended the answer early") }
        return ChatOutcome(conversation: conversation, held: held)
    }
}
