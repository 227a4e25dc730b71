import ArgumentParser
import TodoCore

/// The LLM behind the agent; without a key or base URL the offline agent answers.
struct AgentOptions: SettingOptions {
    @Option(name: .long, help: "API key of the OpenAI-compatible server; prefer the environment. [env: OPENAI_API_KEY]")
    var openAIAPIKey: String?

    @Option(name: .long, help: ArgumentHelp("Base URL of an OpenAI-compatible server. [env: OPENAI_BASE_URL] (default: https://api.openai.com/v1)", valueName: "url"))
    var openAIBaseURL: String?

    @Option(name: .long, help: "Model name. [env: OPENAI_MODEL] (default: gpt-4o-mini)")
    var openAIModel: String?

    @Option(name: .long, help: "Most tool rounds in one chat turn; one more model call reports their results. [env: AGENT_MAX_STEPS] (default: 8)")
    var agentMaxSteps: String?

    @Option(name: .long, help: "Deadline of one chat turn, e.g. 60s. [env: AGENT_TIMEOUT] (default: 60s)")
    var agentTimeout: String?

    @Option(name: .long, help: "Deadline for the model server's first byte and longest silence, e.g. 30s. [env: LLM_TIMEOUT] (default: 30s)")
    var llmTimeout: String?

    @Option(name: .long, help: "Retries after 429, 5xx or a lost connection. [env: LLM_MAX_RETRIES] (default: 3)")
    var llmMaxRetries: String?

    @Option(name: .long, help: "Stored messages the model sees again each turn. [env: CHAT_HISTORY_LIMIT] (default: 40)")
    var chatHistoryLimit: String?

    @Option(name: .long, help: "Characters of history, tool results included, the model sees besides its instructions and the latest message. [env: AGENT_CONTEXT_CHARS] (default: 32000)")
    var agentContextChars: String?

    @Option(name: .long, help: "Model tokens one user may spend per day (UTC); 0 is unlimited. [env: AGENT_DAILY_TOKENS_PER_USER] (default: 0)")
    var agentDailyTokensPerUser: String?

    @Option(name: .long, help: "Keep-alive comment interval of chat event streams. [env: CHAT_HEARTBEAT] (default: 15s)")
    var chatHeartbeat: String?

    @Option(name: .long, help: "Chat turns one user may run at once. [env: CHAT_TURNS_PER_USER] (default: 3)")
    var chatTurnsPerUser: String?

    var settingValues: [(SettingKey, String?)] {
        [
            (.openAIAPIKey, openAIAPIKey),
            (.openAIBaseURL, openAIBaseURL),
            (.openAIModel, openAIModel),
            (.agentMaxSteps, agentMaxSteps),
            (.agentTimeout, agentTimeout),
            (.llmTimeout, llmTimeout),
            (.llmMaxRetries, llmMaxRetries),
            (.chatHistoryLimit, chatHistoryLimit),
            (.agentContextChars, agentContextChars),
            (.agentDailyTokensPerUser, agentDailyTokensPerUser),
            (.chatHeartbeat, chatHeartbeat),
            (.chatTurnsPerUser, chatTurnsPerUser),
        ]
    }
}
