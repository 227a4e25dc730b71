import Foundation
import TodoCore

/// The agent loop over a language model: the model answers or asks for tools, the tools run through the catalog
/// as the user, their results go back, until an answer or the step limit.
public struct ModelAgent: Agent {
    let model: any ChatModel
    let catalog: ToolCatalog
    let maxSteps: Int
    let budget: ContextBudget

    public init(model: any ChatModel, catalog: ToolCatalog, maxSteps: Int, contextCharacters: Int = ContextBudget.defaultCharacters) {
        self.model = model
        self.catalog = catalog
        self.maxSteps = maxSteps
        self.budget = ContextBudget(characters: contextCharacters)
    }

    public var label: String { model.label }

    public func run(_ turn: AgentTurn, emit: @escaping @Sendable (AgentEvent) async -> Void) async throws -> AgentAnswer {
        var messages = budget.fit(
            system: .system(SystemPrompt.text(now: turn.now, timeZone: turn.timeZone)),
            history: turn.history,
            latest: .user(SystemPrompt.timeNote(now: turn.now, timeZone: turn.timeZone) + "\n" + turn.message)
        )
        var steps: [ToolStep] = []
        var text = ""
        var usage: TokenUsage?
        // The step after the last allowed one may not call tools: it lets the model report the last results.
        for step in 0...maxSteps {
            let toolsAllowed = step < maxSteps
            let reply: ModelReply
            do {
                reply = try await model.complete(messages, tools: catalog.definitions, toolsAllowed: toolsAllowed) { delta in
                    await emit(.textDelta(delta))
                }
            } catch let error as ModelError {
                throw AgentFailure(code: "MODEL_UNAVAILABLE", message: error.message, partial: AgentAnswer(text: text, steps: steps, usage: usage))
            }
            text += reply.text
            if let used = reply.usage { usage = usage.map { $0 + used } ?? used }
            switch reply.finishReason {
            case .length?:
                // A cut-off answer is not stored as whole, and calls whose arguments may be cut are not run.
                throw AgentFailure(
                    code: "MODEL_LENGTH",
                    message: "The model's answer was cut off at its output limit. Ask for less at once, or raise the server's output limit.",
                    partial: AgentAnswer(text: text, steps: steps, usage: usage)
                )
            case .contentFilter?:
                throw AgentFailure(
                    code: "MODEL_FILTERED", message: "The model server's content filter stopped this answer.",
                    partial: AgentAnswer(text: text, steps: steps, usage: usage)
                )
            case .complete?, nil:
                break
            }
            guard toolsAllowed, !reply.toolCalls.isEmpty else {
                if !toolsAllowed, reply.text.isEmpty {
                    let note = "I stopped after \(maxSteps) steps without finishing. Tell me what to do next."
                    await emit(.textDelta(note))
                    text += note
                }
                return AgentAnswer(text: text, steps: steps, usage: usage)
            }
            messages.append(.assistant(reply.text, toolCalls: reply.toolCalls))
            for call in reply.toolCalls {
                // After the turn's deadline or a stop, no further call may start.
                try Task.checkCancellation()
                await emit(.toolCall(call))
                let result = await run(call, userID: turn.userID, timeZone: turn.timeZone)
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
        return AgentAnswer(text: text, steps: steps, usage: usage)
    }

    /// Runs one call; arguments that are not a JSON object go back to the model as an error it can correct.
    func run(_ call: ToolCall, userID: String, timeZone: TimeZone) async -> ToolResult {
        let raw = call.arguments.trimmingCharacters(in: .whitespacesAndNewlines)
        let arguments: JSONValue?
        if raw.isEmpty {
            arguments = nil
        } else if let parsed = JSONValue.parse(raw) {
            arguments = parsed
        } else {
            return .failure("The arguments of \(call.name) are not valid JSON. Send a JSON object matching the tool's schema.")
        }
        return await catalog.call(call.name, arguments: arguments, userID: userID, timeZone: timeZone)
    }
}
