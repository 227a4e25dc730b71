import Foundation
import Testing
import TodoCore
import TodoStorage
import TodoTestSupport

/// The shared turn record: one running turn per conversation, stop requests, heartbeats and abandoned turns.
@Suite struct ChatTurnStoreContractTests {
    @Test(arguments: StoreKind.available)
    func oneTurnRunsPerConversationAndAnAbandonedOneIsTakenOver(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store).id
            let run = UUID().uuidString.prefix(8)
            let conversation = try await store.createConversation(title: "t", userID: user)
            let now = Date()
            _ = try await store.startTurn(id: "turn_a-\(run)", conversationID: conversation.id, userID: user, message: "hi", replacing: nil, staleBefore: now.addingTimeInterval(-20))
            await #expect(throws: TodoError.stateConflict(code: "TURN_RUNNING", message: "A reply is still being written in this conversation; stop it or wait for it to finish.")) {
                _ = try await store.startTurn(id: "turn_b-\(run)", conversationID: conversation.id, userID: user, message: "again", replacing: nil, staleBefore: now.addingTimeInterval(-20))
            }
            // Its replica stopped beating: the next turn takes the conversation over.
            _ = try await store.startTurn(id: "turn_c-\(run)", conversationID: conversation.id, userID: user, message: "later", replacing: nil, staleBefore: Date().addingTimeInterval(1))
            #expect(try await store.stopRequested(among: ["turn_c-\(run)"]).isEmpty)
            let stop = try await store.requestStop(conversationID: conversation.id, userID: user, turnID: nil, staleBefore: now.addingTimeInterval(-20))
            #expect(stop == StopRequest(turnID: "turn_c-\(run)", wasAbandoned: false))
            #expect(try await store.stopRequested(among: ["turn_a-\(run)", "turn_c-\(run)"]) == ["turn_c-\(run)"])
            try await store.heartbeat(["turn_c-\(run)"])
            try await store.finishTurn(
                id: "turn_c-\(run)", conversationID: conversation.id, userID: user,
                answer: NewMessage(role: .assistant, content: "partial", turnID: "turn_c-\(run)", status: .stopped), status: .stopped
            )
            await #expect(throws: TodoError.self) {
                _ = try await store.requestStop(conversationID: conversation.id, userID: user, turnID: nil, staleBefore: now)
            }
            let stranger = try await makeUser(store).id
            await #expect(throws: TodoError.notFound(resource: "conversation", id: String(conversation.id))) {
                _ = try await store.requestStop(conversationID: conversation.id, userID: stranger, turnID: nil, staleBefore: now)
            }
            let messages = try await store.messages(conversationID: conversation.id, userID: user, limit: 10)
            #expect(messages.map(\.content) == ["hi", "later", "partial"])
            #expect(messages.last?.status == .stopped)
        }
    }

    @Test(arguments: StoreKind.available)
    func aStopForATurnWhoseReplicaIsGoneEndsItAtOnce(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store).id
            let run = UUID().uuidString.prefix(8)
            let conversation = try await store.createConversation(title: "t", userID: user)
            _ = try await store.startTurn(id: "turn_x-\(run)", conversationID: conversation.id, userID: user, message: "hi", replacing: nil, staleBefore: Date().addingTimeInterval(-20))
            let stop = try await store.requestStop(conversationID: conversation.id, userID: user, turnID: "turn_x-\(run)", staleBefore: Date().addingTimeInterval(1))
            #expect(stop.wasAbandoned)
            // The conversation is free again.
            _ = try await store.startTurn(id: "turn_y-\(run)", conversationID: conversation.id, userID: user, message: "again", replacing: nil, staleBefore: Date().addingTimeInterval(-20))
        }
    }
}
