import Foundation
import Testing
import TodoCore
import TodoStorage
import TodoTestSupport

@Suite struct UserStoreContractTests {
    @Test(arguments: StoreKind.available)
    func usersAreStoredWithTheirCredential(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let email = "\(UUID().uuidString.lowercased())@Example.com"
            let user = try await store.createUser(name: "Ada", email: "  \(email) ", passwordHash: "abcd:ef01")
            #expect(user.id.count == 32)
            #expect(user.email == email.lowercased())
            #expect(try await store.user(id: user.id) == user)
            let credential = try #require(try await store.credential(email: email.uppercased()))
            #expect(credential.user.id == user.id)
            #expect(credential.passwordHash == "abcd:ef01")
            #expect(try await store.credential(email: "nobody-\(UUID())@example.com") == nil)
            #expect(try await store.user(id: "missing") == nil)
        }
    }

    @Test(arguments: StoreKind.available)
    func aTakenEmailIsRejectedWithoutAHalfWrittenUser(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let email = "\(UUID().uuidString.lowercased())@example.com"
            _ = try await store.createUser(name: "First", email: email, passwordHash: "aa:bb")
            await #expect(throws: TodoError.conflict(code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", message: "User already exists. Use another email.")) {
                try await store.createUser(name: "Second", email: email.uppercased(), passwordHash: "cc:dd")
            }
            let count = try await store.database.query(#"SELECT count(*) AS n FROM "user" WHERE "email" = $1"#, [.text(email)])
            #expect(try count[0].int("n") == 1)
        }
    }
}

@Suite struct ConversationStoreContractTests {
    @Test(arguments: StoreKind.available)
    func conversationsKeepTheirMessagesInOrder(kind: StoreKind) async throws {
        try await withStore(kind) { migrated in
            let store = SQLStore(database: migrated.database, now: TickingClock().now)
            let user = try await makeUser(store)
            let first = try await store.createConversation(title: "Groceries", userID: user.id)
            let second = try await store.createConversation(title: "", userID: user.id)
            let toolCalls = #"[{"name":"add_task","arguments":{"title":"Buy milk"},"result":{"task_id":5,"status":"created"}}]"#
            let stored = try await store.appendMessages(
                [NewMessage(role: .user, content: "add buy milk"), NewMessage(role: .assistant, content: "Added.", toolCalls: toolCalls)],
                conversationID: first.id, userID: user.id
            )
            #expect(stored.map(\.role) == [.user, .assistant])
            let messages = try await store.messages(conversationID: first.id, userID: user.id, limit: 50)
            #expect(messages.map(\.content) == ["add buy milk", "Added."])
            let recorded = try #require(messages[1].toolCalls)
            let decoded = try JSONSerialization.jsonObject(with: Data(recorded.utf8)) as? [[String: Any]]
            #expect(decoded?.first?["name"] as? String == "add_task")
            #expect(try await store.messages(conversationID: first.id, userID: user.id, limit: 1).map(\.content) == ["Added."])

            let listed = try await store.conversations(userID: user.id, limit: 10)
            #expect(listed.map(\.id) == [first.id, second.id], "the conversation with new messages comes first")
            let renamed = try await store.renameConversation(id: second.id, title: "Work", userID: user.id)
            #expect(renamed.title == "Work")
            try await store.deleteConversation(id: first.id, userID: user.id)
            await #expect(throws: TodoError.notFound(resource: "conversation", id: String(first.id))) {
                try await store.messages(conversationID: first.id, userID: user.id, limit: 10)
            }
            let orphans = try await store.database.query("SELECT count(*) AS n FROM messages WHERE conversation_id = $1", [.int(first.id)])
            #expect(try orphans[0].int("n") == 0)
        }
    }

    @Test(arguments: StoreKind.available)
    func anotherUsersConversationIsInvisible(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let alice = try await makeUser(store)
            let bob = try await makeUser(store)
            let conversation = try await store.createConversation(title: "Private", userID: alice.id)
            let notFound = TodoError.notFound(resource: "conversation", id: String(conversation.id))
            await #expect(throws: notFound) { try await store.conversation(id: conversation.id, userID: bob.id) }
            await #expect(throws: notFound) { try await store.renameConversation(id: conversation.id, title: "x", userID: bob.id) }
            await #expect(throws: notFound) { try await store.deleteConversation(id: conversation.id, userID: bob.id) }
            await #expect(throws: notFound) { try await store.messages(conversationID: conversation.id, userID: bob.id, limit: 5) }
            await #expect(throws: notFound) {
                try await store.appendMessages([NewMessage(role: .user, content: "hi")], conversationID: conversation.id, userID: bob.id)
            }
            #expect(try await store.conversations(userID: bob.id, limit: 10).isEmpty)
            #expect(try await store.messages(conversationID: conversation.id, userID: alice.id, limit: 5).isEmpty)
        }
    }
}

@Suite struct RateLimitContractTests {
    @Test(arguments: StoreKind.available)
    func aBucketAllowsItsBurstThenRefillsSteadily(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let key = "test:\(UUID())"
            let start = Date(timeIntervalSince1970: 1_796_115_600)
            // 2 a minute: two at once, then one every 30 s.
            #expect(try await store.consume(key: key, perMinute: 2, now: start).allowed)
            #expect(try await store.consume(key: key, perMinute: 2, now: start).allowed)
            let refused = try await store.consume(key: key, perMinute: 2, now: start.addingTimeInterval(1))
            #expect(refused == RateDecision(allowed: false, retryAfter: 29))
            let stillRefused = try await store.consume(key: key, perMinute: 2, now: start.addingTimeInterval(20))
            #expect(!stillRefused.allowed, "a refused request does not use up the allowance")
            #expect(stillRefused.retryAfter == 10)
            #expect(try await store.consume(key: key, perMinute: 2, now: start.addingTimeInterval(30)).allowed)
            #expect(try await !store.consume(key: key, perMinute: 2, now: start.addingTimeInterval(31)).allowed)
            #expect(try await store.consume(key: "other:\(UUID())", perMinute: 2, now: start).allowed, "keys are separate")
        }
    }

    @Test(arguments: StoreKind.available.filter { $0 != .sqliteMemory })
    func concurrentRequestsNeverExceedTheBurst(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let key = "test:\(UUID())"
            let now = Date()
            let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<20 { group.addTask { try await store.consume(key: key, perMinute: 5, now: now).allowed } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(allowed == 5)
        }
    }
}
