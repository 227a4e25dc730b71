import Foundation
import Testing
import TodoAgent
import TodoCore
import TodoStorage
import TodoTestSupport

/// The daily token budget: counted per user and UTC day in the shared store, from what the server reports, and a
/// turn refused once it is spent, before anything is stored.
@Suite(.heavy) struct TokenBudgetTests {
    @Test(arguments: StoreKind.available)
    func aSpentBudgetRefusesTheNextTurnOnEveryReplicaAndOnlyForThatUser(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store).id
            let other = try await makeUser(store).id
            let noon = Timestamp.parse("2026-12-01T12:00:00Z")!
            let llm = ScriptedLLM([
                .stream([ScriptedLLM.toolCall(id: "l", name: "list_tasks", arguments: "{}"), ScriptedLLM.usage(100, 10)]),
                .stream([ScriptedLLM.text("Nothing yet."), ScriptedLLM.usage(120, 5)]),
                .stream([ScriptedLLM.text("Hi."), ScriptedLLM.usage(50, 2)]),
            ])
            try await llm.serve { baseURL in
                let client = OpenAIChatClient(OpenAIConfiguration(baseURL: baseURL, apiKey: nil, model: "m"), logger: testLogger)
                defer { Task { try? await client.shutdown() } }
                let agent = ModelAgent(model: client, catalog: ToolCatalog(store: store), maxSteps: 3)
                let observed = Observed()
                // Two replicas: two services on one store.
                let replicas = (0..<2).map { _ in
                    var service = ChatService(
                        agent: agent, store: store, historyLimit: 40, turnTimeout: .seconds(30),
                        budget: TokenBudget(dailyTokens: 200, store: store), logger: testLogger, now: { noon }
                    )
                    service.usageObserver = { observed.add($0) }
                    return service
                }
                let first = try await replicas[0].send("what do I have?", conversationID: nil, userID: user) { _ in }
                #expect(first.response == "Nothing yet.")
                #expect(try await store.tokensUsed(userID: user, day: "2026-12-01") == 235, "every step counted")
                #expect(observed.total == 235)

                let before = try await store.messages(conversationID: first.conversationID, userID: user, limit: 50).count
                for replica in replicas {
                    await #expect {
                        _ = try await replica.send("and now?", conversationID: first.conversationID, userID: user) { _ in }
                    } throws: { error in
                        guard case .quotaExceeded(let code, let message, let retryAfter) = error as? TodoError else { return false }
                        return code == "TOKEN_BUDGET_EXCEEDED" && message.contains("today's 200 assistant tokens") && retryAfter == 43_200
                    }
                }
                #expect(try await store.messages(conversationID: first.conversationID, userID: user, limit: 50).count == before, "nothing stored")
                #expect(try await replicas[1].send("hello", conversationID: nil, userID: other) { _ in }.response == "Hi.", "another user is not affected")
            }
            #expect(try await store.tokensUsed(userID: user, day: "2026-12-02") == 0, "a new day starts at zero")
        }
    }

    @Test func noBudgetMeansUnlimitedButStillCounted() async throws {
        try await withStore(.sqliteMemory) { store in
            let user = try await makeUser(store).id
            let budget = TokenBudget(dailyTokens: 0, store: store)
            let script = (0..<3).map { _ in ScriptedLLM.Reply.stream([ScriptedLLM.text("ok"), ScriptedLLM.usage(1000, 1000)]) }
            let llm = ScriptedLLM(script)
            try await llm.serve { baseURL in
                let client = OpenAIChatClient(OpenAIConfiguration(baseURL: baseURL, apiKey: nil, model: "m"), logger: testLogger)
                defer { Task { try? await client.shutdown() } }
                let service = ChatService(
                    agent: ModelAgent(model: client, catalog: ToolCatalog(store: store), maxSteps: 2), store: store, historyLimit: 40,
                    turnTimeout: .seconds(30), budget: budget, logger: testLogger
                )
                for _ in 0..<3 { _ = try await service.send("hi", conversationID: nil, userID: user) { _ in } }
            }
            #expect(try await store.tokensUsed(userID: user, day: String(Timestamp.format(Date()).prefix(10))) == 6000)
        }
    }

    final class Observed: @unchecked Sendable {
        private let lock = NSLock()
        private var sum = 0
        func add(_ usage: TokenUsage) { lock.withLock { sum += usage.total } }
        var total: Int { lock.withLock { sum } }
    }
}
