import Foundation
import Testing
@testable import TodoAPI
import TodoCore

/// The change-log cursor: each event once, in order, including one whose transaction committed after a later id.
@Suite struct EventCursorTests {
    static func event(_ id: Int64) -> ChangeEvent {
        ChangeEvent(id: id, userID: "u", kind: "task.updated", data: "{}", createdAt: Date())
    }

    @Test func anIdSkippedOverIsAskedForAgainAndDeliveredOnceWhenItCommits() {
        let start = Date()
        var cursor = EventCursor(last: 10, present: Array(1...10), floor: 0, now: start)
        #expect(cursor.missingIDs.isEmpty)
        // 12 committed before 11: 11 is missing until it shows up.
        #expect(cursor.accept([Self.event(12)], now: start).map(\.id) == [12])
        #expect(cursor.missingIDs == [11])
        #expect(cursor.accept([Self.event(11), Self.event(12), Self.event(13)], now: start).map(\.id) == [11, 13])
        #expect(cursor.missingIDs.isEmpty)
        #expect(cursor.accept([Self.event(11), Self.event(13)], now: start).isEmpty, "nothing twice")
    }

    @Test func aMissingIdIsForgottenAfterThePatience() {
        let start = Date()
        var cursor = EventCursor(last: 5, present: [1, 2, 3, 5], floor: 0, now: start)
        // 4 was in flight when the cursor started (or rolled back): waited for, then given up.
        #expect(cursor.missingIDs == [4])
        _ = cursor.accept([], now: start.addingTimeInterval(31))
        #expect(cursor.missingIDs.isEmpty)
        #expect(cursor.accept([Self.event(4)], now: start.addingTimeInterval(32)).isEmpty)
    }

    @Test func aHugeJumpKeepsTheMissingListBounded() {
        var cursor = EventCursor(last: 0, present: [], floor: 0, now: Date())
        #expect(cursor.accept([Self.event(1_000_000)], now: Date()).map(\.id) == [1_000_000])
        #expect(cursor.missingIDs.count == EventCursor.missingLimit)
    }
}
