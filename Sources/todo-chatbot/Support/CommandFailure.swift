import ArgumentParser
import Foundation

/// Why a command stopped: one line for standard error and the exit code (1 failure, 2 invalid configuration).
/// Commands throw it; only the root prints it, so every failure is exactly one line, however deep it began.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let code: Int32

    var description: String { message }
}

extension TodoChatbot {
    /// Runs the chosen command; a `CommandFailure` becomes its one line and exit code, anything else is left to
    /// ArgumentParser (usage errors, `--help`, `--version`, a silent `ExitCode`).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("todo-chatbot: \(failure.message)\n".utf8))
            Foundation.exit(failure.code)
        } catch {
            exit(withError: error)
        }
    }
}
