import Foundation
import Testing
import TodoCore

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2026-12-01T09:00:00Z", 1_796_115_600.0),
        ("2026-12-01T10:00:00+01:00", 1_796_115_600.0),
        ("2026-12-01T04:00:00-0500", 1_796_115_600.0),
        ("2026-12-01T09:00Z", 1_796_115_600.0),
        ("2026-12-01T09:00:00.250Z", 1_796_115_600.25),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
    ])
    func parsesDateTimesWithAZone(text: String, epoch: Double) {
        #expect(Timestamp.parse(text)?.timeIntervalSince1970 == epoch)
    }

    @Test(arguments: ["2026-12-01T09:00:00", "2026-12-01", "tomorrow", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-12-01T09:00:00Zjunk", ""])
    func rejectsAmbiguousOrInvalidText(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func formatsAsUTCWithMillisecondsAndRoundTrips() {
        let date = Date(timeIntervalSince1970: 1_796_115_600.123)
        #expect(Timestamp.format(date) == "2026-12-01T09:00:00.123Z")
        #expect(Timestamp.parse(Timestamp.format(date)) == Date(timeIntervalSince1970: 1_796_115_600.123))
        #expect(Timestamp.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
    }
}
