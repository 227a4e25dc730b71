import Foundation
import Testing
import TodoCore

/// The hand-written task JSON must be byte for byte what `JSONEncoder` writes with the wire settings, for every
/// field combination and every character a title may hold.
@Suite struct JSONWriterTests {
    static let awkward: [String] = [
        "", "plain", "quote \" and backslash \\", "slash / and </script>", "tab\tnew\nline\rreturn", "\u{08}\u{0C}\u{00}\u{1F}\u{7F}",
        "émoji 🎉 ünïcödé 中文", "line\u{2028}separator\u{2029}", String((0..<128).map { Character(UnicodeScalar(UInt8($0))) }),
    ]

    static var tasks: [TodoTask] {
        let date = Date(timeIntervalSince1970: 1_796_115_600.123)
        var tasks: [TodoTask] = []
        for (index, text) in awkward.enumerated() {
            tasks.append(TodoTask(id: Int64(index), userID: "u\(text)", title: text, description: text, createdAt: date, updatedAt: date))
            tasks.append(TodoTask(
                id: Int64.max - Int64(index), userID: "user", title: "t", description: "", completed: true, priority: .high, tags: [text, "x"],
                dueAt: date.addingTimeInterval(86_400), recurrence: .weekly, completedAt: date, reminder: .before(minutes: 30),
                remindedAt: date.addingTimeInterval(-1), createdAt: Date(timeIntervalSince1970: 0), updatedAt: date.addingTimeInterval(0.0005)
            ))
            tasks.append(TodoTask(
                id: -1, userID: "user", title: "t", priority: .low, tags: [], dueAt: date, recurrence: .monthly,
                reminder: .at(date.addingTimeInterval(-60)), createdAt: date, updatedAt: date
            ))
        }
        return tasks
    }

    @Test func aTaskIsWrittenExactlyAsTheEncoderWritesIt() throws {
        for task in Self.tasks {
            #expect(WireJSON.bytes(task) == Array(WireJSON.encodedByFoundation(task)), "task \(task.id): \(task.title.debugDescription)")
        }
    }

    @Test func numbersAreWrittenAsTheEncoderWritesThem() {
        let ids: [Int64] = [.min, .min + 1, -1_000_000_007, -10, -9, -1, 0, 1, 9, 10, 99, 100, 1_234_567_890_123, .max - 1, .max]
        for id in ids {
            let task = TodoTask(id: id, userID: "u", title: "t", reminder: .before(minutes: Int(truncatingIfNeeded: id)), createdAt: Date(), updatedAt: Date())
            #expect(WireJSON.bytes(task) == Array(WireJSON.encodedByFoundation(task)), "\(id)")
        }
    }

    @Test func aListOfTasksAndTheEncodeEntryPointAgree() throws {
        let tasks = Self.tasks
        #expect(WireJSON.bytes(tasks) == Array(WireJSON.encodedByFoundation(tasks)))
        #expect(WireJSON.encode(tasks) == WireJSON.encodedByFoundation(tasks), "encode takes the writer's path")
        #expect(WireJSON.bytes([TodoTask]()) == Array("[]".utf8))
        // And the output is JSON a parser reads back to the same task.
        let decoded = try JSONSerialization.jsonObject(with: WireJSON.encode(tasks)) as? [[String: Any]]
        #expect(decoded?.count == tasks.count)
        #expect(decoded?.first?["title"] as? String == tasks.first?.title)
    }
}
