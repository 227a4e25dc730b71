import Foundation
import TodoCore

/// What the offline agent remembers of a conversation, read from its stored history alone, so any replica can
/// answer the next message: the list it showed last, the question it asked, the task it touched last and the
/// changes it made, for "undo".
struct OfflineMemory {
    /// One past turn: the user's words, the tool steps and the answer.
    struct PastTurn {
        var said: String
        var steps: [(name: String, arguments: JSONValue, result: JSONValue)] = []
        var answer = ""
    }

    let turns: [PastTurn]

    init(history: [ChatMessage]) {
        var turns: [PastTurn] = []
        var calls: [String: ToolCall] = [:]
        for message in history {
            switch message.role {
            case .user:
                turns.append(PastTurn(said: message.content))
            case .assistant:
                for call in message.toolCalls { calls[call.id] = call }
                if !message.content.isEmpty, !turns.isEmpty { turns[turns.count - 1].answer = message.content }
            case .tool:
                guard let id = message.toolCallID, let call = calls[id], !turns.isEmpty else { continue }
                let result = JSONValue.parse(message.content) ?? .string(message.content)
                turns[turns.count - 1].steps.append((call.name, JSONValue.parse(call.arguments) ?? .object([:]), result))
            case .system:
                continue
            }
        }
        self.turns = turns
    }

    /// The question the last answer asked, and the message it was about.
    enum Pending {
        case choose(about: String, candidates: [Int64])
        case confirm(about: String)
        case offer(about: String)
    }

    var pending: Pending? {
        guard let last = turns.last else { return nil }
        if last.answer.hasSuffix(OfflineReplies.chooseSuffix) { return .choose(about: last.said, candidates: Self.listed(last.answer)) }
        if last.answer.hasSuffix(OfflineReplies.confirmSuffix) { return .confirm(about: last.said) }
        if last.answer.hasSuffix(OfflineReplies.offerSuffix) { return .offer(about: last.said) }
        return nil
    }

    /// The ids of the numbered list the latest answer with one showed, in order. A question's list counts only
    /// while the question is open: once answered or dropped, "the second one" means the list before it.
    var lastList: [Int64] {
        for (index, turn) in turns.enumerated().reversed() {
            let question = [OfflineReplies.chooseSuffix, OfflineReplies.confirmSuffix].contains { turn.answer.hasSuffix($0) }
            if question, index != turns.count - 1 { continue }
            let ids = Self.listed(turn.answer)
            if !ids.isEmpty { return ids }
        }
        return []
    }

    /// The numbered list of the previous answer alone, for bare numbers ("complete 2").
    var previousList: [Int64] {
        turns.last.map { Self.listed($0.answer) } ?? []
    }

    /// Lines such as "2. Buy milk … (#14)".
    static func listed(_ answer: String) -> [Int64] {
        answer.split(separator: "\n").compactMap { line -> Int64? in
            guard line.first?.isNumber == true, line.contains(". "), line.hasSuffix(")"), let hash = line.range(of: "(#", options: .backwards) else { return nil }
            return Int64(line[hash.upperBound...].dropLast())
        }
    }

    /// The task the previous turn touched: the one a tool acted on, or the only one its answer listed. Nothing
    /// older: "it" after a turn about something else (or about nothing) is a question, never a guess.
    var lastTouched: Int64? {
        guard let turn = turns.last else { return nil }
        let changed = turn.steps.filter { $0.name != "list_tasks" && $0.result["task_id"] != nil }
        if let step = changed.last {
            guard case .int(let id)? = step.result["task_id"], step.result["status"]?.stringValue != "deleted" else { return nil }
            return id
        }
        let listed = Self.listed(turn.answer)
        return listed.count == 1 ? listed[0] : nil
    }

    /// The latest turn that changed something (`undo` refuses to revert an undo).
    var lastChange: PastTurn? {
        turns.last { turn in turn.steps.contains { $0.name != "list_tasks" && $0.result["task_id"] != nil } }
    }

    /// The fields of a task as the conversation last saw them in a listing.
    func seen(_ id: Int64, in turn: PastTurn) -> JSONValue? {
        for step in turn.steps where step.name == "list_tasks" {
            guard case .array(let tasks) = step.result else { continue }
            if let task = tasks.first(where: { $0["id"] == .int(id) }) { return task }
        }
        return nil
    }
}
