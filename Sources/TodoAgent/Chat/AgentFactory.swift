import Logging
import TodoCore

/// Chooses the agent from its configuration: the model-backed one when a model server is configured, the offline
/// one otherwise.
public enum AgentFactory {
    /// The agent, and the model client when there is one (a service to run and shut down with the app).
    public static func make(
        _ configuration: AgentConfiguration, catalog: ToolCatalog, logger: Logger
    ) -> (agent: any Agent, client: OpenAIChatClient?) {
        guard let model = configuration.model else { return (OfflineAgent(catalog: catalog), nil) }
        let client = OpenAIChatClient(model, logger: logger)
        return (ModelAgent(
            model: client, catalog: catalog, maxSteps: configuration.maxSteps, contextCharacters: configuration.contextCharacters
        ), client)
    }
}
