import Logging
import TodoCore

/// Chooses the agent from the settings: the model-backed one when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set,
/// the offline one otherwise.
public enum AgentFactory {
    /// The agent, and the model client when there is one (a service to run and shut down with the app).
    public static func make(_ settings: Settings, catalog: ToolCatalog, logger: Logger) -> (agent: any Agent, client: OpenAIChatClient?) {
        guard settings.openAIAPIKey != nil || settings.openAIBaseURL != nil else {
            return (OfflineAgent(catalog: catalog), nil)
        }
        let client = OpenAIChatClient(
            OpenAIConfiguration(
                baseURL: settings.openAIBaseURL, apiKey: settings.openAIAPIKey, model: settings.openAIModel,
                timeout: settings.llmTimeout, maxRetries: settings.llmMaxRetries
            ),
            logger: logger
        )
        return (ModelAgent(model: client, catalog: catalog, maxSteps: settings.agentMaxSteps), client)
    }
}
