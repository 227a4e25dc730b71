import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import TodoAgent
import TodoAuth
import TodoCore
import TodoStorage

/// `chat`: one message to the agent from the terminal, or an interactive session.
struct Chat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Send a message to the agent and print its reply and what the tools changed.",
        discussion: """
            Runs the agent in this process on the configured database, as --user EMAIL (or CHAT_USER). On the \
            embedded SQLite default the user is created on first use, and without --user it is \
            local@todo-chatbot.local. With --api-url and --token the message goes to a running serve-api instead. \
            The reply prints as it streams, followed by one line per change (+ added, ✓ completed, ~ updated, \
            - deleted, ! failed). Without a message, a terminal on standard input gets an interactive prompt \
            (exit with Ctrl-D or "exit"); otherwise standard input is the message. When the agent holds deletes for \
            your confirmation, a terminal is asked "Delete …? [y/N]"; otherwise the command says how to answer yes.

            Examples:
              todo-chatbot chat "add buy milk tomorrow #home"
              todo-chatbot chat --conversation 3 "what's pending?"
              todo-chatbot chat --json "show my tasks"
              todo-chatbot chat --api-url http://127.0.0.1:8000 --token "$TOKEN" "mark 1 done"
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup(title: "Database") var database: DatabaseOptions
    @OptionGroup(title: "Agent") var agent: AgentOptions

    @Argument(help: "The message; omit it for an interactive prompt.")
    var message: [String] = []

    @Option(name: .long, help: ArgumentHelp("Email of the user to act as. [env: CHAT_USER]", valueName: "email"))
    var user: String?

    @Option(name: .long, help: ArgumentHelp("Continue this conversation.", valueName: "id"))
    var conversation: Int64?

    @Flag(name: .long, help: "Print the answer as JSON: {conversation_id, response, tool_calls}.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Send to this running serve-api instead of running the agent here.", valueName: "url"))
    var apiURL: String?

    @Option(name: .long, help: ArgumentHelp("Bearer token (session token or JWT) for --api-url.", valueName: "token"))
    var token: String?

    @Option(name: .long, help: ArgumentHelp("IANA time zone for dates such as \"tomorrow\" (default: this machine's).", valueName: "zone"))
    var timeZone: String?

    static let localUser = "local@todo-chatbot.local"

    func validate() throws {
        if (apiURL == nil) != (token == nil) { throw ValidationError("--api-url and --token go together.") }
        if let timeZone, TimeZone(identifier: timeZone) == nil { throw ValidationError("--time-zone: '\(timeZone)' is not an IANA time zone such as Europe/Berlin.") }
    }

    func run() async throws {
        var flags = database.flags.merging(agent.flags) { $1 }
        flags[SettingKey.chatUser.rawValue] = user
        let settings = try Startup.settings(global, flags: flags)
        let logger = Startup.logger(settings, label: "chat")
        let zone = timeZone.flatMap(TimeZone.init(identifier:)) ?? .current
        let messages = initialMessage()
        let asJSON = json
        if let apiURL, let token {
            do {
                try await converse(first: messages) { text, conversation in
                    try await RemoteChat(baseURL: apiURL, token: token).send(text, conversationID: conversation, timeZone: zone, json: asJSON)
                }
            } catch {
                throw Startup.failure("chat failed", error)
            }
            return
        }
        let embedded = settings.database.isEmbedded
        let email = settings.chatUser ?? (embedded ? Self.localUser : nil)
        guard let email else {
            throw Startup.fail("configuration error: CHAT_USER: required with PostgreSQL: name the user with --user EMAIL or CHAT_USER", code: 2)
        }
        let first = messages
        do {
            try await DatabaseOpener.withDatabase(settings, logger: logger) { database in
                let store = SQLStore(database: database)
                let userID = try await Self.user(email, store: store, create: embedded)
                let configuration = settings.agentConfiguration
                let catalog = ToolCatalog(store: store, timeout: configuration.toolTimeout)
                let (agent, client) = AgentFactory.make(configuration, catalog: catalog, logger: logger)
                let service = ChatService(agent: agent, store: store, configuration: configuration, logger: logger)
                defer { if let client { Task { try? await client.shutdown() } } }
                try await converse(first: first) { text, conversation in
                    let summary = try await service.send(text, conversationID: conversation, userID: userID, timeZone: zone) { event in
                        if !asJSON, case .textDelta(let delta) = event { ChatPrinter.write(delta) }
                    }
                    ChatPrinter.write(asJSON ? summary.wire.text + "\n" : ChatPrinter.footer(summary.wire))
                    return ChatOutcome(conversation: summary.conversationID, held: ChatPrinter.held(summary.wire))
                }
                if let client { try? await client.shutdown() }
            }
        } catch {
            throw Startup.failure("chat failed", error)
        }
    }

    /// The message from the arguments, or from standard input when it is not a terminal; nil for a prompt.
    func initialMessage() -> String? {
        if !message.isEmpty { return message.joined(separator: " ") }
        guard isatty(STDIN_FILENO) == 0 else { return nil }
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        return input.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Sends one message, or prompts until end of input; `send` returns the conversation to continue.
    func converse(first: String?, send: (String, Int64?) async throws -> ChatOutcome) async throws {
        var conversation = self.conversation
        if let first {
            try await confirm(try await send(first, conversation), send: send)
            return
        }
        FileHandle.standardError.write(Data("Chatting with the todo agent. Ctrl-D or \"exit\" ends.\n".utf8))
        while true {
            FileHandle.standardError.write(Data("you> ".utf8))
            guard let line = readLine() else { break }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if ["exit", "quit"].contains(text.lowercased()) { break }
            do {
                let outcome = try await send(text, conversation)
                conversation = outcome.conversation
                try await confirm(outcome, send: send)
            } catch {
                FileHandle.standardError.write(Data("error: \(Startup.describe(error))\n".utf8))
            }
        }
    }

    /// The user's id; on the embedded store a missing user is created, with a password nobody knows.
    static func user(_ email: String, store: SQLStore, create: Bool) async throws -> String {
        let normalized = try AccountRules.email(email)
        if let existing = try await store.credential(email: normalized) { return existing.user.id }
        guard create else { throw TodoError.notFound(resource: "account with the email", id: normalized) }
        let password = Base64URL.encode(Data((0..<32).map { _ in UInt8.random(in: 0...255) }))
        let hash = try await PasswordHasher().hash(password)
        return try await store.createUser(name: "Local user", email: normalized, passwordHash: hash).id
    }

    /// Asks on the terminal whether the deletes the agent held should run, and answers the agent "yes" or "no". Without
    /// a terminal nothing is asked: the command says how to answer yes later.
    func confirm(_ outcome: ChatOutcome, send: (String, Int64?) async throws -> ChatOutcome) async throws {
        guard outcome.held > 0 else { return }
        guard isatty(STDIN_FILENO) == 1 else {
            FileHandle.standardError.write(Data(
                "Nothing was deleted. To delete, answer yes: todo-chatbot chat --conversation \(outcome.conversation) yes\n".utf8
            ))
            return
        }
        FileHandle.standardError.write(Data("Delete \(outcome.held == 1 ? "it" : "these \(outcome.held) tasks")? [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        _ = try await send(["y", "yes"].contains(answer) ? "yes" : "no", outcome.conversation)
    }
}

/// What one turn of `chat` left: the conversation to continue and how many deletes wait for the user's yes.
struct ChatOutcome {
    let conversation: Int64
    let held: Int
}
