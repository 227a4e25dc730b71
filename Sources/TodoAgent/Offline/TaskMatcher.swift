import Foundation
import TodoCore

/// Finds the tasks a few words mean: every meaning-bearing word of the reference must match a word of the title
/// or a tag, by stem ("buying" ↔ "buy", "bought" ↔ "buy") or, for longer words, with one typo. It never picks
/// among equals: a reference that fits several tasks as well yields them all.
enum TaskMatcher {
    static let fillers: Set<String> = [
        "the", "a", "an", "my", "our", "task", "tasks", "todo", "to-do", "one", "ones", "item", "thing", "stuff", "about", "to", "for", "of",
        "on", "with", "that", "this", "which", "i", "me", "it", "is", "was", "and", "please", "reminder", "entry", "list", "from", "in",
        "at", "as", "by", "thingy", "bit", "some", "all", "already", "just", "finally", "now", "yet", "also", "too", "really", "we", "you", "your",
    ]
    static let irregular = [
        "bought": "buy", "paid": "pay", "went": "go", "gone": "go", "did": "do", "done": "do", "wrote": "write", "written": "write",
        "sent": "send", "made": "make", "took": "take", "taken": "take", "ate": "eat", "eaten": "eat", "got": "get", "gotten": "get",
        "gave": "give", "given": "give", "ran": "run", "met": "meet", "fed": "feed", "brought": "bring", "found": "find", "sold": "sell",
        "told": "tell", "spoke": "speak", "drove": "drive", "driven": "drive", "swept": "sweep", "kept": "keep", "left": "leave",
        "built": "build", "hung": "hang", "threw": "throw", "thrown": "throw", "began": "begin", "chose": "choose", "fixed": "fix",
        "booked": "book", "had": "have", "has": "have", "caught": "catch", "taught": "teach", "won": "win", "sat": "sit", "put": "put",
        "children": "child", "groceries": "grocery", "emailed": "email",
    ]

    /// The words of a reference or a title that carry its meaning.
    static func meaningWords(_ text: String) -> [String] {
        text.lowercased().replacingOccurrences(of: "'s", with: "")
            .split { !$0.isLetter && !$0.isNumber }
            .map(String.init)
            .filter { !fillers.contains($0) }
    }

    static func stem(_ word: String) -> String {
        var word = irregular[word] ?? word
        if word.count > 4, word.hasSuffix("ies") { word = String(word.dropLast(3)) + "y" }
        for suffix in ["ing", "ed", "es", "s"] where word.count > suffix.count + 2 && word.hasSuffix(suffix) {
            word.removeLast(suffix.count)
            break
        }
        if word.count > 3, word.hasSuffix("e") { word.removeLast() }
        if word.count > 3, let last = word.last, word.dropLast().last == last, !"aeiou".contains(last) { word.removeLast() }
        return word
    }

    /// How well one reference word fits one title word: 2 by stem, 1 with a typo or as a prefix, 0 not at all.
    /// A typo is a swapped, missing or extra letter; a different letter in a short word is another word
    /// ("milk" is not "silk", "wine" is not "wife").
    static func fit(_ reference: String, _ title: String) -> Int {
        if reference == title || stem(reference) == stem(title) { return 2 }
        if reference.count >= 4, title.hasPrefix(reference) { return 1 }
        let (a, b) = (reference.count, title.count)
        guard a >= 4, b >= 4, a <= 40, b <= 40, abs(a - b) <= 2 else { return 0 }
        let distance = Utterance.distance(reference, title)
        if distance == 1, a != b || a >= 6 || swapped(reference, title) { return 1 }
        return distance == 2 && a >= 8 ? 1 : 0
    }

    /// The words differ only by two neighbouring letters swapped.
    static func swapped(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a), Array(b))
        guard x.count == y.count else { return false }
        let differing = x.indices.filter { x[$0] != y[$0] }
        return differing.count == 2 && differing[1] == differing[0] + 1 && x[differing[0]] == y[differing[1]] && x[differing[1]] == y[differing[0]]
    }

    /// A task the matcher can compare: its id, its title, its tags.
    struct Candidate {
        let id: Int64
        let title: String
        let words: [String]
        let completed: Bool
        let task: JSONValue
    }

    static func candidates(_ listed: [JSONValue]) -> [Candidate] {
        listed.compactMap { task in
            guard case .int(let id)? = task["id"], let title = task["title"]?.stringValue else { return nil }
            let tags: [String] = if case .array(let values)? = task["tags"] { values.compactMap(\.stringValue) } else { [] }
            return Candidate(id: id, title: title, words: meaningWords(title) + tags.map { $0.lowercased() }, completed: task["completed"] == true, task: task)
        }
    }

    /// The tasks that fit every meaning-bearing word of `reference`, best first; a title that says exactly the
    /// reference wins alone.
    static func matches(_ reference: String, in tasks: [Candidate]) -> [Candidate] {
        let wanted = meaningWords(reference)
        guard !wanted.isEmpty else { return [] }
        let scored = tasks.compactMap { task -> (Candidate, Int)? in
            var total = 0
            for word in wanted {
                let best = task.words.map { fit(word, $0) }.max() ?? 0
                guard best > 0 else { return nil }
                total += best
            }
            return (task, total)
        }
        guard scored.count > 1 else { return scored.map(\.0) }
        let stems = Set(wanted.map(stem))
        let exact = scored.filter { Set(meaningWords($0.0.title).map(stem)) == stems }
        if exact.count == 1 { return [exact[0].0] }
        let best = scored.map(\.1).max() ?? 0
        let strongest = scored.filter { $0.1 == best }
        // A clean match beats matches that needed a typo allowance.
        if strongest.count == 1, best == wanted.count * 2 { return [strongest[0].0] }
        return scored.sorted { $0.1 > $1.1 }.map(\.0)
    }
}
