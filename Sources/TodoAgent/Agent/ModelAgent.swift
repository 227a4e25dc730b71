import Foundation
import TodoCore

/// The agent loop over a language model: the model answers or asks for tools, the tools run through the catalog
/// as the user, their results go back, until an answer or the step limit.
public struct ModelAgent: Agent {
    let model: any ChatModel
    let catalog: ToolCatalog
    let maxSteps: Int

    public init(model: any ChatModel, catalog: ToolCatalog, maxSteps: Int) {
        self.model = model
        self.catalog = catalog
        self.maxSteps = maxSteps
    }

    public var label: String { model.label }

    public func run(_ turn: AgentTurn, emit: @escaping @Sendable (AgentEvent) async -> Void) async throws -> AgentAnswer {
        var messages = [ChatMessage.system(SystemPrompt.text(now: turn.now, timeZone: turn.timeZone))] + turn.history + [.user(turn.message)]
        var steps: [ToolStep] = []
        var text = ""
        for _ in 0..<maxSteps {
            let reply: ModelReply
            do {
                reply = try await model.complete(messages, tools: catalog.definitions) { delta in await emit(.textDelta(delta)) }
            } catch let error as ModelError {
                throw AgentFailure(code: "MODEL_UNAVAILABLE", message: error.message, partial: AgentAnswer(text: text, steps: steps))
            }
            text += reply.text
            guard !reply.toolCalls.isEmpty else { return AgentAnswer(text: text, steps: steps) }
            messages.append(.assistant(reply.text, toolCalls: reply.toolCalls))
            for call in reply.toolCalls {
                await emit(.toolCall(call))
                let result = await run(call, userID: turn.userID)
                let step = ToolStep(call: call, result: result)
                steps.append(step)
                await emit(.toolResult(step))
                messages.append(.tool(result.text, callID: call.id))
            }
            if !text.isEmpty, !text.hasSuffix("\n") {
                text += "\n"
                await emit(.textDelta("\n"))
            }
        }
        let note = "I stopped after \(maxSteps) steps without finishing. Tell me what to do next."
        await emit(.textDelta(note))
        return AgentAnswer(text: text + note, steps: steps)
    }

    /// Runs one call; arguments that are not a JSON object go back to the model as an error it can correct.
    func run(_ call: ToolCall, userID: String) async -> ToolResult {
        let raw = call.arguments.trimmingCharacters(in: .whitespacesAndNewlines)
        let arguments: JSONValue?
        if raw.isEmpty {
            arguments = nil
        } else if let parsed = JSONValue.parse(raw) {
            arguments = parsed
        } else {
            return .failure("The arguments of \(call.name) are not valid JSON. Send a JSON object matching the tool's schema.")
        }
        return await catalog.call(call.name, arguments: arguments, userID: userID)
    }
}
