import Foundation
import Testing
import TodoCore

@Suite struct TaskRulesTests {
    /// The field a validation error names; nil when `body` did not fail validation.
    static func field(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch let TodoError.validation(field, _) {
            return field
        } catch {
            return nil
        }
    }

    @Test func titleIsTrimmedAndMustBeOneToTwoHundredCharacters() throws {
        #expect(try TaskRules.title("  Buy milk \n") == "Buy milk")
        #expect(try TaskRules.title(String(repeating: "é", count: 200)).count == 200)
        #expect(throws: TodoError.validation(field: "title", message: "title must be 1-200 characters")) {
            try TaskRules.title("   ")
        }
        #expect(throws: TodoError.validation(field: "title", message: "title must be 1-200 characters")) {
            try TaskRules.title(String(repeating: "a", count: 201))
        }
    }

    /// Limits count code points, as the databases' CHECK constraints do: a title Swift sees as 150 characters but
    /// that is 300 code points is a 422 here, not a database refusal (a 500) later.
    @Test func limitsCountCodePointsAsTheDatabasesDo() throws {
        let thumbs = "👍🏽"
        #expect(try TaskRules.title(String(repeating: thumbs, count: 100)) == String(repeating: thumbs, count: 100))
        for text in [String(repeating: thumbs, count: 101), String(repeating: "e\u{301}", count: 101)] {
            #expect(throws: TodoError.validation(field: "title", message: "title must be 1-200 characters")) { try TaskRules.title(text) }
        }
        let error = #expect(throws: TodoError.self) { try TaskRules.description(String(repeating: thumbs, count: 501)) }
        #expect(error?.field == "description")
        #expect(try TaskRules.tags([String(repeating: thumbs, count: 16)]).count == 1)
        #expect(throws: TodoError.self) { try TaskRules.tags([String(repeating: thumbs, count: 17)]) }
    }

    @Test func descriptionIsLimitedToOneThousandCharacters() throws {
        #expect(try TaskRules.description(String(repeating: "x", count: 1000)).count == 1000)
        let error = #expect(throws: TodoError.self) { try TaskRules.description(String(repeating: "x", count: 1001)) }
        #expect(error?.field == "description")
    }

    @Test func priorityAndRecurrenceAcceptKnownWordsInAnyCase() throws {
        #expect(try TaskRules.priority("HIGH") == .high)
        #expect(try TaskRules.recurrence(" Weekly ") == .weekly)
        #expect(throws: TodoError.validation(field: "priority", message: "priority must be one of low, medium, high")) {
            try TaskRules.priority("urgent")
        }
        #expect(Self.field { try TaskRules.recurrence("yearly") } == "recurrence")
    }

    @Test func tagsAreTrimmedDeduplicatedAndLimited() throws {
        #expect(try TaskRules.tags([" home ", "Home", "work"]) == ["home", "work"])
        #expect(Self.field { try TaskRules.tags((1...11).map { "t\($0)" }) } == "tags")
        #expect(Self.field { try TaskRules.tags([String(repeating: "t", count: 33)]) } == "tags")
        #expect(Self.field { try TaskRules.tags([" "]) } == "tags")
        #expect(try TaskRules.tags((1...10).map { "t\($0)" }).count == 10)
    }

    @Test func dueDatesNeedATimeZone() throws {
        #expect(try TaskRules.dueAt("2026-12-01T09:00:00Z") == Date(timeIntervalSince1970: 1_796_115_600))
        let error = #expect(throws: TodoError.self) { try TaskRules.dueAt("2026-12-01 09:00") }
        #expect(error?.field == "due_at")
    }

    @Test func newTaskAndPatchValidateOnConstruction() throws {
        let task = try NewTask(title: " Call mom ", tags: ["family", "family"])
        #expect(task.title == "Call mom")
        #expect(task.tags == ["family"])
        #expect(Self.field { try NewTask(title: "") } == "title")
        #expect(Self.field { try TaskPatch(title: "") } == "title")
        #expect(try TaskPatch().isEmpty)
        #expect(try !TaskPatch(dueAt: .some(nil)).isEmpty)
    }

    @Test func recurrenceMovesTheDueDateForward() {
        let start = Timestamp.parse("2026-01-31T09:00:00Z")!
        #expect(Timestamp.format(Recurrence.daily.next(after: start)) == "2026-02-01T09:00:00.000Z")
        #expect(Timestamp.format(Recurrence.weekly.next(after: start)) == "2026-02-07T09:00:00.000Z")
        #expect(Timestamp.format(Recurrence.monthly.next(after: start)) == "2026-02-28T09:00:00.000Z")
    }

    @Test func errorsCarryStableCodes() {
        #expect(TodoError.validation(field: "title", message: "m").code == "VALIDATION_FAILED")
        #expect(TodoError.notFound(resource: "task", id: "7").message == "No task 7.")
        #expect(TodoError.conflict(code: "USER_ALREADY_EXISTS", message: "m").code == "USER_ALREADY_EXISTS")
        #expect(TodoError.unavailable("db down").code == "SERVICE_UNAVAILABLE")
    }
}
