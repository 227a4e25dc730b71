import Foundation
import Testing
import TodoCore
import TodoStorage
import TodoTestSupport

/// Keyset pages are exact on both stores: walked with a small limit, every listing returns every task once, in the
/// order of the whole listing. The tasks are made with the real clock, fast, so many share a millisecond, and some
/// are updated, which is what made PostgreSQL's microseconds and a millisecond cursor disagree.
@Suite struct PaginationTests {
    @Test(arguments: StoreKind.available)
    func everySortAndOrderWalksEveryTaskExactlyOnce(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let user = try await makeUser(store).id
            let base = Date(timeIntervalSince1970: 1_900_000_000)
            let priorities: [Priority] = [.low, .medium, .high]
            var created: [TodoTask] = []
            try await withThrowingTaskGroup(of: TodoTask.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        // Titles and due dates repeat on purpose: ties are broken by id, never skipped.
                        let task = try NewTask(
                            title: "Task \(index % 37)", priority: priorities[index % 3],
                            dueAt: index % 4 == 0 ? nil : base.addingTimeInterval(Double(index % 9) * 3600.5)
                        )
                        return try await store.createTask(task, userID: user)
                    }
                }
                for try await task in group { created.append(task) }
            }
            for task in created where task.id % 5 == 0 {
                _ = try await store.updateTask(id: task.id, with: try TaskPatch(title: "Task \(task.id % 11)"), userID: user)
            }
            for sort in TaskQuery.Sort.allCases {
                for order in TaskQuery.Order.allCases {
                    let whole = try await store.taskPage(matching: try TaskQuery(sort: sort, order: order, limit: 200), userID: user).tasks
                    #expect(whole.count == created.count)
                    var walked: [Int64] = []
                    var cursor: TaskCursor?
                    repeat {
                        let page = try await store.taskPage(matching: try TaskQuery(sort: sort, order: order, limit: 7, after: cursor), userID: user)
                        walked += page.tasks.map(\.id)
                        cursor = page.nextCursor
                    } while cursor != nil && walked.count <= created.count
                    #expect(walked == whole.map(\.id), "\(sort.rawValue) \(order.rawValue): pages in the order of the whole listing")
                    #expect(Set(walked).count == created.count, "\(sort.rawValue) \(order.rawValue): every task exactly once")
                }
            }
        }
    }
}
