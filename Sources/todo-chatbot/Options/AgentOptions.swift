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

    @Option(name: .long, help: "Most model calls in one chat turn. [env: AGENT_MAX_STEPS] (default: 8)")
    var agentMaxSteps: String?

    @Option(name: .long, help: "Deadline of one chat turn, e.g. 60s. [env: AGENT_TIMEOUT] (default: 60s)")
    var agentTimeout: String?

    var settingValues: [(SettingKey, String?)] {
        [
            (.openAIAPIKey, openAIAPIKey),
            (.openAIBaseURL, openAIBaseURL),
            (.openAIModel, openAIModel),
            (.agentMaxSteps, agentMaxSteps),
            (.agentTimeout, agentTimeout),
        ]
    }
}
