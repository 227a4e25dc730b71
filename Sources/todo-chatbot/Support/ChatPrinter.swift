import Foundation
import TodoCore

/// How `chat` shows a turn on a terminal: the answer as it streams, then one line per change the tools made.
enum ChatPrinter {
    /// Writes text at once, without waiting for a newline.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// One line per tool call that changed something or failed; listings change nothing and are left out.
    static func changes(_ toolCalls: [JSONValue]) -> [String] {
        toolCalls.compactMap { call in
            let name = call["name"]?.stringValue ?? "tool"
            let result = call["result"] ?? .null
            let id = result["task_id"].map { "#\($0.text)" } ?? ""
            let title = result["title"]?.stringValue ?? ""
            if isHeld(call) { return "? not deleted yet \(id) \(title): waiting for your yes" }
            if call["is_error"] == true { return "! \(name): \(result.stringValue ?? result.text)" }
            switch name {
            case "add_task": return "+ added \(id) \(title)"
            case "complete_task": return "✓ completed \(id) \(title)"
            case "delete_task": return "- deleted \(id) \(title)"
            case "update_task": return "~ updated \(id) \(title)"
            case "restore_task": return "+ restored \(id) \(title)"
            default: return nil
            }
        }
    }

    /// A delete the agent held for the user's confirmation.
    static func isHeld(_ call: JSONValue) -> Bool {
        call["is_error"] == true && call["result"]?["status"] == "confirmation_required"
    }

    /// How many deletes of a finished turn (`done`) wait for the user's yes.
    static func held(_ done: JSONValue) -> Int {
        done["tool_calls"]?.arrayValue?.filter(isHeld).count ?? 0
    }

    /// The lines after an answer: a blank line and the changes, if any.
    static func footer(_ done: JSONValue) -> String {
        guard case .array(let calls)? = done["tool_calls"] else { return "\n" }
        let lines = changes(calls)
        return lines.isEmpty ? "\n" : "\n\n" + lines.joined(separator: "\n") + "\n"
    }
}
