import Foundation
import Testing
@testable import TodoAgent
import TodoCore

/// The offline reader runs inside serve-api, so no message may crash it: thousands of messages made of the
/// corpus's own words, numbers, dates and punctuation in random order, from a fixed seed, are all read.
@Suite struct OfflineParserFuzzTests {
    /// SplitMix64: the same messages on every run and machine.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func noMessageCrashesTheReader() throws {
        let corpus = try Corpus.load(OfflineCorpusTests.corpusURL)
        var vocabulary = Set(corpus.cases.flatMap { $0.turns.flatMap { $0.say.split(separator: " ").map(String.init) } })
        vocabulary.formUnion([
            "0", "1", "2", "31", "32", "99999999999999999999", "-1", "#", "##", "#1", "at", "on", "every", "in", "the", "1st", "32nd",
            "24/12", "12/24", "0/0", "99/99/99", "2026-02-30", "2026-13-01", "13:61", "25pm", "0am", ":", "::", "/", "'", "\"", "“", "✅",
            "🙂", "\u{200D}", "\u{FE0F}", ",", ".", "!", "?", "-", "–", "(", ")", "tomorrow", "and", "to", "from", "undo", "yes", "no",
        ])
        let words = vocabulary.sorted()
        let dates = DatePhrase(now: corpus.moment, timeZone: corpus.zone)
        var random = Seeded(state: 19)
        for _ in 0..<4000 {
            let count = Int.random(in: 0...14, using: &random)
            let message = (0..<count).map { _ in words.randomElement(using: &random)! }.joined(separator: Bool.random(using: &random) ? " " : "  ")
            _ = OfflineIntent.parse(message, dates: dates)
        }
    }
}
