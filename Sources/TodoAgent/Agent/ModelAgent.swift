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
        var gate = DeleteGate(latest: turn.message, history: turn.history)
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
            if let used = reply.usage {
                usage = usage.map { $0 + used } ?? used
                await turn.onUsage(used)
            }
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
            let held = await heldDeletes(reply.toolCalls, gate: &gate, userID: turn.userID)
            for (position, call) in reply.toolCalls.enumerated() {
                // After the turn's deadline or a stop, no further call may start.
                try Task.checkCancellation()
                await emit(.toolCall(call))
                let result = if let task = held[position] {
                    DeleteGate.held(task.id, title: task.title)
                } else {
                    await run(call, userID: turn.userID, timeZone: turn.timeZone)
                }
                let step = ToolStep(call: call, result: result)
                steps.append(step)
                await emit(.toolResult(step))
                messages.append(.tool(result.text, callID: call.id))
            }
            if !text.isEmpty, !text.hasSuffix("\n") {
                text += "\n"
                await emit(.textDelta("\n"))
            }
            if !held.isEmpty {
                // The turn ends with the question: the model gets no further step in which to act on its own.
                let question = DeleteGate.question(held.sorted { $0.key < $1.key }.map(\.value.title))
                await emit(.textDelta(question))
                return AgentAnswer(text: text + question, steps: steps, usage: usage)
            }
        }
        return AgentAnswer(text: text, steps: steps, usage: usage)
    }

    /// The deletes of a step the gate holds, by their position in the step. A delete of a task the user does not
    /// have is not held: it runs and answers "no task", which says nothing about anyone else's tasks.
    func heldDeletes(_ calls: [ToolCall], gate: inout DeleteGate, userID: String) async -> [Int: (id: Int64, title: String)] {
        var deletes: [(position: Int, id: Int64, title: String)] = []
        for (position, call) in calls.enumerated() where call.name == DeleteGate.tool {
            // Read as the tool reads it (a string of digits or 5.0 is an id too), so no form of id slips past.
            guard let id = try? ToolArguments(JSONValue.parse(call.arguments)).requiredInteger("task_id"),
                  let title = await catalog.title(ofTask: id, userID: userID)
            else { continue }
            deletes.append((position, id, title))
        }
        let admitted = gate.admit(deletes.map { ($0.id, $0.title) })
        var held: [Int: (id: Int64, title: String)] = [:]
        for (delete, admit) in zip(deletes, admitted) where !admit { held[delete.position] = (delete.id, delete.title) }
        return held
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
