import Foundation
import TodoCore

/// What an everyday sentence asks for, as the offline agent understands it.
enum OfflineIntent: Equatable {
    /// How a sentence names a task.
    enum TaskRef: Equatable {
        /// "#4", "task 4", "id 4".
        case id(Int64)
        /// A bare "4": a position in the last list shown, otherwise an id.
        case number(Int64)
        /// "the second one", "number 2"; -1 is "the last one".
        case position(Int)
        /// "it", "that one": the task the conversation last touched.
        case pronoun
        /// "the last one I added".
        case lastAdded
        case words(String)
    }

    /// Which tasks a listing shows.
    struct Listing: Equatable {
        var status = "all"
        var dueBefore: Date?
        var dueAfter: Date?
        var priority: String?
        var tag: String?
        var query: String?
        /// How the answer names the listing, e.g. "pending", "due this week".
        var label = ""
    }

    /// Fields a sentence changes; tags are added to or taken from the task's own.
    struct Change: Equatable {
        var title: String?
        var description: String?
        var priority: String?
        var addTags: [String] = []
        var removeTags: [String] = []
        var due: Date?
        var recurrence: Recurrence?
        /// The hour and minute when only a time was said ("move it to 4pm"): the task keeps its day, if it has one.
        var dueTime: [Int]?
        var clearDue = false
        /// The words may mean something else ("set the thermostat to 68"): the agent asks before changing.
        var needsYes = false
        var clearRecurrence = false
        /// A reminder this many minutes before the due date.
        var remindBefore: Int?
        var clearReminder = false
    }

    /// Which tasks a bulk action takes.
    enum Scope: Equatable {
        case completed, pending, all
        case tag(String)
        case priority(String)
        /// The tasks of the last list shown ("delete all of them").
        case shown
    }

    case add(TaskDraft)
    case list(Listing)
    case complete(TaskRef)
    case reopen(TaskRef)
    /// `sure` is false for verbs that also mean something else: the agent asks before deleting.
    case delete(TaskRef, sure: Bool)
    case update(TaskRef, Change)
    case deleteAll(Scope)
    case completeAll(Scope)
    case undo
    case yes
    case no
    case choose(TaskRef)
    /// "both", "all of them": every task of the last question.
    case chooseAll
    /// A command without its task ("delete").
    case which
    /// "the milk one too": the previous request again, for another task.
    case also(TaskRef)
    /// A sentence that reads like a task but says no command: offered, not added.
    case maybeAdd(TaskDraft)
    case unsupported(String)
    case smalltalk(String)
    case help
    case unknown

    /// Whether a reply (lowercased, as `Utterance` leaves it) says yes.
    static func isYes(_ lower: String) -> Bool {
        lower.range(of: #"^(?:y|yes|yeah|yep|yup|yess|sure|ok|okay|do it|go ahead|go for it|confirm|confirmed|absolutely|of course|please do|correct|right|affirmative|yes please|yes do it|yep go ahead|yes go ahead|sure go ahead|ok do it|yeah do it|yes,? delete (?:them|it|all)|yes,? (?:that's|that is) right)$"#, options: .regularExpression) != nil
            || lower.range(of: #"^(?:yes|yeah|yep|yup|sure|ok|okay)\b[ ,!.]*(?:go ahead|do it|please|delete (?:them|it)|that's fine|sounds good|thanks)?[ ,!.]*(?:go ahead|do it|please|thanks)?$"#, options: .regularExpression) != nil
    }

    static func parse(_ message: String, dates: DatePhrase) -> OfflineIntent {
        let utterance = Utterance(message)
        let text = utterance.text
        let lower = utterance.lower
        if lower.isEmpty || lower.range(of: #"^(?:help\b.*|\?+|what commands.*|which commands.*|how do i (?:use|add|start).*|what can (?:you|u|ya) do|what can you do|what can i (?:say|do|ask)|what do you do|how does (?:this|it) work|how do i use (?:this|you)|commands|what are (?:the|your) commands|menu|options|what can you help (?:me )?with)$"#, options: .regularExpression) != nil {
            return .help
        }
        if lower.range(of: #"^(?:(?:no|nope|wait|oops|argh|ugh|damn|hmm)[,!.]* )*(?:undo|undo (?:that|it|this|the last (?:one|change|thing|action))|undo (?:that|the|my|this)(?: last)? (?:change|edit|action|one|thing|deletion|delete)|undo last|oops,? undo(?: that)?|oops.*(?:bring it back|put it back|undo|restore it)|bring (?:it|that) back|put (?:it|that) back|restore (?:it|that)|revert(?: that| it)?|take (?:that|it) back|ctrl\+?z|scratch that|cancel that|forget that|never mind that|delete that last one)$"#, options: .regularExpression) != nil {
            return .undo
        }
        if isYes(lower) { return .yes }
        if lower.range(of: #"^(?:n|no|nope|nah|cancel|stop|never ?mind|nevermind|forget it|don't|dont|do not|no thanks|no thank you|leave it|keep (?:them|it)|abort|not now|wait|hold on|no way)(?:[ ,!.]+(?:thanks|thank you|don't|dont|do not|cancel|stop|leave it|keep (?:them|it)|never ?mind|don't do (?:it|that)|don't delete (?:them|it|anything)|not now|forget it|wait|i changed my mind|changed my mind|not that one|neither))*$"#, options: .regularExpression) != nil {
            return .no
        }
        if let reply = Smalltalk.reply(to: message.lowercased()) ?? Smalltalk.reply(to: lower) { return .smalltalk(reply) }
        if lower.range(of: #"^(?:both|both of them|all of them|all|all three|each of them|them all|both please)$"#, options: .regularExpression) != nil { return .chooseAll }
        if let choice = choice(lower) { return .choose(choice) }
        if let match = firstMatch(#"^(?:and |also |same for |same with |and also |do the same (?:for|with) )?(.+?),? (?:too|as well|also)$"#, text),
           match[0].split(separator: " ").count <= 6,
           firstMatch(#"^(?:add|create|new|put|delete|remove|complete|finish|mark|rename|change|move|set|update|tag|make|call|buy|pay|get|do|show|list|reopen|i)\b"#, match[0]) == nil {
            return .also(ref(match[0]))
        }
        if lower.range(of: #"^(?:delete|remove|complete|finish|done|mark|rename|change|move|update|reopen|edit|mark done|mark as done|mark it|tick|check|cancel|reschedule|postpone)$"#, options: .regularExpression) != nil {
            return .which
        }
        if let bulk = bulk(lower) { return bulk }
        if let update = tagOrNote(text) { return update }
        if let reopen = reopen(text) { return reopen }
        if lower.range(of: #"^(?:show|list|display|view|see|what|what's|whats|which|any|anything|do i have|have i|how many|give me|tell me|find|search|look|get me|pull up|open|my|all my)\b"#, options: .regularExpression) != nil,
           let listing = listing(lower, dates: dates) {
            return .list(listing)
        }
        if let reminder = reminderChange(text) { return reminder }
        if let add = explicitAdd(text, dates: dates) { return add }
        if let complete = complete(text, checked: utterance.checked) { return complete }
        if let update = update(text, dates: dates) { return update }
        if let delete = delete(text) { return delete }
        if let listing = listing(lower, dates: dates) { return .list(listing) }
        return guess(text, lower: lower, dates: dates)
    }

    // MARK: - References

    static let ordinals = [
        "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "sixth": 6,
        "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "ninth": 9, "9th": 9, "tenth": 10, "10th": 10, "last": -1,
    ]

    /// A reply that picks from a list: "the first", "2", "number 2", "the second one", "#2" stays an id.
    static func choice(_ lower: String) -> TaskRef? {
        let cleaned = lower.trimmingCharacters(in: CharacterSet(charactersIn: " .!?)"))
        guard cleaned.split(separator: " ").count <= 5 else { return nil }
        if let match = firstMatch(#"^(?:(?:i mean|i meant|i want|i'd like|let's go with|go with|pick|choose|option|the|it's|its|it is|number|no\.?|num)\s+)*(\d{1,3})(?:st|nd|rd|th)?(?: one| please)?$"#, cleaned),
           let value = Int64(match[0]) {
            return .number(value)
        }
        if let match = firstMatch(#"^(?:(?:i mean|i meant|the|pick|choose|go with|let's go with|option)\s+)*(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)(?: one| option| task)?(?: please)?$"#, cleaned),
           let position = ordinals[match[0]] {
            return .position(position)
        }
        return nil
    }

    /// A remark after a comma that is not part of the task: "…, i keep forgetting", "…, it was freezing".
    static func withoutAside(_ text: String) -> String {
        guard let range = text.range(of: #",\s*(?:i|i'm|i've|i'd|it|it's|its|it was|we|we're|they|that's|that was|this is|this was|so|because|cause|cuz|since|lol|haha|ugh|finally|phew|yay|man|oh well|which)\b.*$"#, options: [.regularExpression, .caseInsensitive]),
              range.lowerBound > text.startIndex
        else { return text }
        return String(text[..<range.lowerBound])
    }

    static func ref(_ phrase: String) -> TaskRef {
        var words = withoutAside(phrase).trimmingCharacters(in: CharacterSet(charactersIn: " ,.:;!?\"'“”"))
        let lower = words.lowercased()
        if ["it", "that", "this", "that one", "this one", "that task", "this task", "the task", "them", "that too", "it too", "same one",
            "the same one", "that thing", "this thing"].contains(lower) {
            return .pronoun
        }
        if lower.range(of: #"^(?:the )?(?:last|latest|newest|most recent|recent) (?:one|task|thing|item)? ?(?:i |that i |we )?(?:just )?(?:added|created|made|put in|entered)$"#, options: .regularExpression) != nil
            || lower.range(of: #"^(?:the )?(?:one|task|thing) i (?:just )?(?:added|created|made)(?: last| just now)?$"#, options: .regularExpression) != nil
            || ["the newest one", "the latest one", "the newest task", "the latest task", "the newest", "the latest", "the most recent one", "my last task", "my latest task", "the last task added", "the last added"].contains(lower) {
            return .lastAdded
        }
        if let match = firstMatch(#"^(?:(?:the|number|no\.?|item)\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|1st|2nd|3rd|4th|5th)(?: one| task| item| on the list| in the list)?$"#, lower),
           let position = ordinals[match[0]] {
            return .position(position)
        }
        if let match = firstMatch(#"^(?:the )?(?:number|no\.?|item|position) (\d{1,3})$"#, lower), let value = Int(match[0]) { return .position(value) }
        if let match = firstMatch(#"^(?:the )?(?:task|todo|id|task id|task number|task no\.?)?\s*#\s*(\d+)(?: task)?$"#, lower) ?? firstMatch(#"^(?:the )?(?:task|todo|id|task id|task number) (\d+)$"#, lower),
           let id = Int64(match[0]), id > 0 {
            return .id(id)
        }
        if let value = Int64(lower), value > 0 { return .number(value) }
        for prefix in ["the task ", "the ", "task ", "my ", "todo "] where words.lowercased().hasPrefix(prefix) { words.removeFirst(prefix.count) }
        for suffix in [" task", " one", " item", " thing", " todo", " on my list", " from my list", " from the list", " off my list", " off the list", " from my tasks"]
        where words.lowercased().hasSuffix(suffix) {
            words.removeLast(suffix.count)
        }
        words = words.trimmingCharacters(in: CharacterSet(charactersIn: " \"'“”"))
        return TaskMatcher.meaningWords(words).isEmpty ? .pronoun : .words(words)
    }

    // MARK: - Commands

    static func bulk(_ lower: String) -> OfflineIntent? {
        if lower.range(of: #"^(?:delete|remove|erase|clear|get rid of|trash) (?:them all|all of them|them|all of those|those|these|all those|all these)$"#, options: .regularExpression) != nil {
            return .deleteAll(.shown)
        }
        if lower.range(of: #"^(?:mark|complete|finish|check off|tick off|close) (?:them all|all of them|them|all of those|those|these|all those|all these)(?: as)?(?: done| complete| completed| finished)?$"#, options: .regularExpression) != nil {
            return .completeAll(.shown)
        }
        let everything = #"(?:all|everything|every task|all (?:of )?(?:my|the) (?:tasks|todos|items)|all tasks|all todos|my (?:whole |entire )?(?:list|todo list)|the (?:whole |entire )?list)"#
        let finished = #"(?:(?:all )?(?:of )?(?:the |my )?(?:completed|done|finished|checked|checked off|ticked off|old completed) ?(?:tasks|todos|items|ones|stuff)?)"#
        if lower.range(of: "^(?:clear|delete|remove|purge|erase|get rid of|wipe|clean up|clean out|archive|trash)(?: out)? \(finished)(?: from (?:my|the) list)?$", options: .regularExpression) != nil
            || lower.range(of: #"^(?:clear|clean up|clean out|tidy up|tidy)(?: (?:my|the))? (?:list|tasks|todo list)$"#, options: .regularExpression) != nil
            || lower == "clear completed" || lower == "clear done" {
            return .deleteAll(.completed)
        }
        if let match = firstMatch("^(?:delete|remove|erase|clear|get rid of|trash) (?:all|every|everything)(?: of)?(?: (?:my|the))? (?:tasks|todos|items|ones)? ?(?:tagged|with (?:the )?tag|labell?ed|under) #?([\\w-]+)$", lower)
            ?? firstMatch("^(?:delete|remove|erase|clear|get rid of) (?:all|every)(?: (?:my|the))? #([\\w-]+)(?: tasks| ones| items)?$", lower) {
            return .deleteAll(.tag(match[0]))
        }
        if lower.range(of: "^(?:delete|remove|erase|clear|wipe|get rid of|trash|empty|reset|nuke) \(everything)$", options: .regularExpression) != nil
            || lower.range(of: #"^(?:clear|wipe|empty|reset|nuke) (?:my|the) (?:whole |entire )?(?:list|todo list|tasks)$"#, options: .regularExpression) != nil
            || lower == "start over" || lower == "start fresh" {
            return .deleteAll(.all)
        }
        if let match = firstMatch("^(?:mark|complete|finish|check off|tick off|close) (?:all|every|everything)(?: (?:my|the))? (?:tasks|todos|items|ones)? ?(?:tagged|with (?:the )?tag|labell?ed|under) #?([\\w-]+)(?: as)?(?: done| complete| completed| finished)?$", lower)
            ?? firstMatch("^(?:mark|complete|finish|check off|tick off|close) (?:all|every)(?: (?:of )?(?:my|the))? #?([\\w-]+) (?:tasks|todos|items|ones|stuff)(?: as)?(?: done| complete| completed| finished)?$", lower),
           !["pending", "open", "remaining", "the", "my"].contains(match[0]) {
            return .completeAll(.tag(match[0]))
        }
        if let match = firstMatch("^(?:delete|remove|erase|clear|get rid of|trash) (?:all|every|everything)(?: (?:of )?(?:my|the))?(?: tasks| todos| items)? ?(?:that are |which are |with |marked )?(high|low|medium|urgent|important)(?:-| )priority(?: tasks| ones| items)?$", lower)
            ?? firstMatch("^(?:delete|remove|erase|clear|get rid of|trash) (?:all|every)(?: (?:of )?(?:my|the))? (high|low|medium|urgent|important)(?: priority)? (?:tasks|ones|items)$", lower) {
            return .deleteAll(.priority(priority(match[0])))
        }
        if lower.range(of: "^(?:mark|complete|finish|check off|tick off|close) (?:\(everything)|all (?:pending|open|remaining) (?:tasks|ones|items)|everything (?:left|pending|on my list))(?: as)?(?: done| complete| completed| finished)?$", options: .regularExpression) != nil
            || lower.range(of: #"^(?:i(?:'ve| have)? )?(?:finished|completed|done|did) (?:everything|all (?:of )?(?:my|the) tasks|all of them|it all)$"#, options: .regularExpression) != nil
            || lower.range(of: #"^(?:everything|all (?:my |the )?tasks|all of them) (?:is|are) (?:done|finished|complete|completed)$"#, options: .regularExpression) != nil {
            return .completeAll(.pending)
        }
        return nil
    }

    /// "tag X with home", "add #home to X", "remove the home tag from X", "add a note to X: …".
    static func tagOrNote(_ text: String) -> OfflineIntent? {
        if let match = firstMatch(#"^(?:remove|clear|delete|drop|take off|take away|unset|get rid of)(?: the)? (?:due date|deadline|due time|date|due) (?:from|of|for|on|off) (.+)$"#, text)
            ?? firstMatch(#"^(.+?) (?:has|have|needs|gets|should have) no (?:due date|deadline|date)(?: anymore| any more)?$"#, text)
            ?? firstMatch(#"^(.+?) (?:doesn't|does not|don't|no longer) (?:have|has|need) a (?:due date|deadline)(?: anymore| any more)?$"#, text) {
            var change = Change()
            change.clearDue = true
            return .update(ref(match[0]), change)
        }
        if let match = firstMatch(#"^(?:don't|do not|no longer|never) (?:repeat|recur) (.+?)(?: anymore| any more)?$"#, text)
            ?? firstMatch(#"^(?:stop|quit|cease) (?:repeating|recurring|the repeat(?:s)? (?:of|for|on)|repeats? (?:of|for|on)) (.+)$"#, text)
            ?? firstMatch(#"^(?:remove|clear|turn off|cancel|delete|drop)(?: the)? (?:repeat|repeats|recurrence|repetition|repeating) (?:from|of|on|for) (.+)$"#, text)
            ?? firstMatch(#"^(.+?) (?:shouldn't|should not|doesn't|does not|no longer needs to|won't|will not|needn't|does not need to|doesn't need to) (?:repeat|recur)(?: anymore| any more)?$"#, text)
            ?? firstMatch(#"^(?:make|set|turn) (.+?) (?:to |into )?(?:not recurring|non-recurring|nonrecurring|not repeating|a one-off|one-off|one time|a one-time task|one-time)$"#, text) {
            var change = Change()
            change.clearRecurrence = true
            return .update(ref(match[0]), change)
        }
        if let match = firstMatch(#"^(?:tag|label) (.+?) (?:with|as)(?: the tag| tag| a tag)? (#?[\w-]+(?:,? (?:and )?#?(?!and\b)[\w-]+)*)$"#, text) {
            return .update(ref(match[0]), Change(addTags: tags(match[1])))
        }
        if let match = firstMatch(#"^(?:add|put|attach|give)(?: the| a)? (?:(?:tag|label)s? (#?[\w-]+)|#([\w-]+)(?: tag| label)?) (?:to|on) (.+)$"#, text) {
            return .update(ref(match[2]), Change(addTags: tags(match[0].isEmpty ? match[1] : match[0])))
        }
        if let match = firstMatch(#"^(?:tag|label) (.+?) #([\w-]+)$"#, text) ?? firstMatch(#"^(?:tag|label) (it|that|this|that one|this one|them) #?([\w-]+)$"#, text)
            ?? firstMatch(#"^(?:give|tag) (.+?) (?:the|a) (?:tag|label) #?([\w-]+)$"#, text) {
            return .update(ref(match[0]), Change(addTags: tags(match[1])))
        }
        if let match = firstMatch(#"^(?:remove|delete|drop|take off|take away|strip|untag)(?: the)?(?: (?:tag|label))? #?([\w-]+)(?: (?:tag|label))? (?:from|off|off of) (.+)$"#, text) {
            return .update(ref(match[1]), Change(removeTags: tags(match[0])))
        }
        if let match = firstMatch(#"^untag (.+)$"#, text) { _ = match }
        if let match = firstMatch(#"^(?:add|attach|put|write|leave)(?: a| the| some)? (?:note|notes|description|comment|details|detail)(?: to| on| for| in) (.+?)(?::|,| saying| that says| that reads| -|—)\s*(.+)$"#, text) {
            return .update(ref(match[0]), Change(description: match[1]))
        }
        if let match = firstMatch(#"^(?:set|change|update|make)(?: the)? (?:description|note|notes|details|comment) (?:of|for|on|to) (.+?) (?:to|as|:)\s*(.+)$"#, text) {
            return .update(ref(match[0]), Change(description: match[1]))
        }
        return nil
    }

    static func tags(_ text: String) -> [String] {
        text.lowercased().split { $0 == " " || $0 == "," }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "#.")) }
            .filter { !$0.isEmpty && $0 != "and" }
    }

    static func reopen(_ text: String) -> OfflineIntent? {
        let patterns = [
            #"^(?:reopen|re-open|unmark|uncheck|untick|un-complete|uncomplete|restore|reactivate|undo (?:the )?(?:completion|done|complete) (?:of|on|for))(?: the)?(?: task)? (.+?)(?: as done| as complete| as completed)?$"#,
            #"^(?:mark|set|put|change|move)(?: the)?(?: task)? (.+?) (?:as |to |back to )?(?:not done|undone|incomplete|not complete|not completed|pending|open|not finished|to ?do|unfinished|active|uncompleted)(?: again)?$"#,
            #"^(?:i )?(?:didn't|did not|haven't|have not|havent|didnt) (?:actually )?(?:finish|complete|do|done|finished) (.+?)(?: yet| after all)?$"#,
            #"^(.+?) (?:is not|isn't|isnt|wasn't|was not|ain't|aren't|are not|weren't) (?:actually |really )?(?:done|finished|complete|completed)(?: yet| after all)?(?:,? (?:reopen|re-open|uncheck|unmark) (?:it|them|that))?$"#,
            #"^(?:oops,? )?(.+?) (?:is|needs to be|should be) (?:open|pending|not done) again$"#,
        ]
        return firstReference(patterns, in: text).map(OfflineIntent.reopen)
    }

    static let addVerbs = #"(?:add|create|new|make a new|make a|put|insert|jot down|write down|note down|note|schedule|set up|set a reminder|set a reminder to|set reminder|save|log|record|capture|enter|include|plan|book in|remind)"#
    static let firstPerson = #"^(?:i need to|i have to|i've got to|ive got to|i got to|i gotta|gotta|i must|i should|i ought to|need to|have to|must|should|i want to|i wanna|i'd like to|i would like to|remind me to|remind me|remind me about|don't let me forget to|dont let me forget to|do not let me forget to|don't let me forget|don't forget to|dont forget to|remember to|i need to remember to|i have to remember to|remember that i need to|i must remember to|note to self:?|note to self -|todo:?|to do:?|to-do:?|reminder:?|reminder to|task:?|new task:?|i'm supposed to|im supposed to|i am supposed to|i plan to|i'm going to|im going to|i am going to|i'll need to|ill need to|i will need to|make sure i|make sure to|gotta remember to|need to remember to)\s+"#

    /// An add with a command word, or said in the first person.
    static func explicitAdd(_ text: String, dates: DatePhrase) -> OfflineIntent? {
        var body: String?
        var rest = text
        var stripped = false
        while let range = rest.range(of: firstPerson, options: [.regularExpression, .caseInsensitive]) {
            rest.removeSubrange(range)
            stripped = true
        }
        // "on friday I have to return the drill", "every tuesday remind me to …": the date said first.
        if !stripped, let match = firstMatch(#"^(.{2,40}?),? ((?:i need to|i have to|i gotta|i must|remind me to|don't let me forget to|i should|i want to|i'm going to|i am going to|make sure i) .+)$"#, rest) {
            let lead = match[0]
            let isDate = dates.extract(from: lead).map { $0.rest.trimmingCharacters(in: .whitespaces).isEmpty } ?? false
            let isRepeat = if case .found(_, let remainder) = RecurrencePhrase.extract(from: lead) { remainder.trimmingCharacters(in: .whitespaces).isEmpty } else { false }
            if isDate || isRepeat {
                rest = match[1]
                while let range = rest.range(of: firstPerson, options: [.regularExpression, .caseInsensitive]) { rest.removeSubrange(range) }
                rest += " " + lead
                stripped = true
            }
        }
        if !stripped, let match = firstMatch("^\(addVerbs)\\b(?: me\\b)?(?: (?:a|an|the)\\b)?(?: new\\b)?(?: (?:task|todo|to-do|to do|item|reminder|entry|one)s?\\b)?(?: (?:to|for|that|called|named|titled|saying|about)\\b)?\\s*[:\\-–]?\\s*(.+)$", rest) {
            body = match[0]
            rest = match[0]
        }
        while let range = rest.range(of: firstPerson, options: [.regularExpression, .caseInsensitive]) {
            rest.removeSubrange(range)
            stripped = true
        }
        while body != nil, let range = rest.range(of: firstPerson, options: [.regularExpression, .caseInsensitive]) { rest.removeSubrange(range) }
        guard body != nil || stripped else { return nil }
        // "remind me tomorrow to call mom": the date first, then "to".
        if let match = firstMatch(#"^(.+?) to (.+)$"#, rest), body == nil, dates.extract(from: match[0])?.rest.trimmingCharacters(in: .whitespaces).isEmpty == true {
            rest = match[1] + " " + match[0]
        }
        guard case .add(var draft) = TaskDraft.parse(rest, dates: dates) else { return TaskDraft.parse(rest, dates: dates) }
        // "remind me to call mom at 5pm" asks for a reminder at that moment, not only a due date.
        draft.remindAtDue = draft.due != nil && draft.remindBefore == nil
            && text.range(of: #"^(?:please\s+)?(?:remind me|set a reminder|reminder)\b"#, options: [.regularExpression, .caseInsensitive]) != nil
        return .add(draft)
    }

    /// A reminder on a task already there: "remind me 30 minutes before" (the task just talked about),
    /// "remind me about the dentist an hour before", "set a reminder 2 days before the rent", "no reminder for X".
    static func reminderChange(_ text: String) -> OfflineIntent? {
        let asker = #"^(?:please\s+)?(?:remind me|set a reminder|add a reminder|alert me|notify me|ping me)"#
        let offset = ReminderPhrase.amount + #"\s*"# + ReminderPhrase.unit + #"\s+"# + ReminderPhrase.before
        if let match = firstMatch(asker + #"\s+(?:about|for|of|on)\s+(.+?)\s+"# + offset + #"$"#, text),
           let minutes = ReminderPhrase.minutes(match[1], match[2]) {
            return .update(ref(match[0]), Change(remindBefore: minutes))
        }
        if let match = firstMatch(asker + #"\s+"# + offset + #"(?:\s+(?:the\s+task\s+|for\s+|about\s+|of\s+|on\s+)?(.*?))?[.!]?$"#, text),
           let minutes = ReminderPhrase.minutes(match[0], match[1]) {
            let target = match.count > 2 ? match[2].trimmingCharacters(in: .whitespaces) : ""
            // "remind me 30 minutes before the meeting to bring slides" adds a task; that is not a change.
            guard target.range(of: #"\bto\b"#, options: .regularExpression) == nil else { return nil }
            return .update(target.isEmpty ? .pronoun : ref(target), Change(remindBefore: minutes))
        }
        if let match = firstMatch(#"^(?:please\s+)?(?:don'?t remind me|do not remind me|stop reminding me|no (?:more )?reminders?|remove the reminder|delete the reminder|cancel the reminder|turn off the reminder|clear the reminder)(?:\s+(?:about|for|of|on)\s+(.+?))?[.!]?$"#, text) {
            let target = match.first?.trimmingCharacters(in: .whitespaces) ?? ""
            return .update(target.isEmpty ? .pronoun : ref(target), Change(clearReminder: true))
        }
        return nil
    }

    static let changeVerbs = #"(?:move|push|postpone|reschedule|shift|delay|defer|put off|bump|push back|move back|change|set|update|switch|make|edit|modify|adjust|give)"#

    static func update(_ text: String, dates: DatePhrase) -> OfflineIntent? {
        if let match = firstMatch(#"^(?:rename|retitle|re-title|re-name)(?: the)?(?: task)? (.+?) (?:to|as|into|->|=>) (.+)$"#, text)
            ?? firstMatch(#"^(?:change|update|edit|set|modify|fix)(?: the)? (?:name|title|wording|text) (?:of|for|on) (.+?) (?:to|as|into) (.+)$"#, text)
            ?? firstMatch(#"^(?:call|name) (.+?) ["'](.+)["'] instead$"#, text)
            ?? firstMatch(#"^(?:call|name|rename) (.+?) (.+) instead$"#, text) {
            return .update(ref(match[0]), Change(title: match[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'“”"))))
        }
        if let match = firstMatch(#"^(?:change|set|update|move|edit|make)(?: the)? (?:due date|deadline|due time|date|due|time) (?:of|for|on) (.+?) (?:to|for|as) (.+)$"#, text),
           let found = wholeDate(match[1], dates: dates) {
            return .update(ref(match[0]), dueChange(found, dates: dates))
        }
        if let match = firstMatch(#"^(?:prioriti[sz]e|escalate|bump up|flag|star)(?: the)?(?: task)? (.+?)(?: as (?:high|urgent|important))?$"#, text) {
            return .update(ref(match[0]), Change(priority: "high"))
        }
        if let match = firstMatch(#"^(?:deprioriti[sz]e|de-prioriti[sz]e|downgrade)(?: the)?(?: task)? (.+)$"#, text) {
            return .update(ref(match[0]), Change(priority: "low"))
        }
        let priorityWords = #"(high|higher|low|lower|medium|normal|urgent|important|top|not urgent|not important|less urgent|less important|critical)"#
        if let match = firstMatch("^(?:make|mark|set|bump|raise|lower|change|put|move|flag|switch|update)(?: up| down)?(?: the)?(?: priority of| priority for)?(?: task)? (.+?) (?:as |to |at |up to |down to |into )?(?:a |an )?\(priorityWords)(?:-| )?(?:priority|prio|pri)?$", text)
            ?? firstMatch("^(.+?) (?:is|should be|needs to be|are|'s|has)(?: now| actually| really)? (?:a |an )?\(priorityWords)(?:-| )?(?:priority|prio|pri)?(?: now)?$", text)
            ?? firstMatch("^(?:set|change|make|put)(?: the)? priority (?:of|for|on) (.+?) (?:to|as|at) \(priorityWords)$", text) {
            return .update(ref(match[0]), Change(priority: priority(match[1])))
        }
        if let recurring = recurrenceChange(text, dates: dates) { return recurring }
        if let match = firstMatch(#"^(.+?)(?: is|'s| should be| needs to be| has to be| must be)(?: now| actually)? (?:due|done|finished|ready|completed|happening|scheduled|moved|pushed)(?: by| on| for| to| until| till)? (.+)$"#, text),
           let found = wholeDate(match[1], dates: dates) {
            return .update(ref(match[0]), dueChange(found, dates: dates))
        }
        if let match = firstMatch(#"^(?:i'll|ill|i will|let's|lets|we'll|i'm going to|im going to|i can|i want to|i'd rather) (?:do|handle|finish|tackle) (.+?) (?:on |at |by )?(.+)$"#, text),
           let found = wholeDate(match[1], dates: dates) {
            return .update(ref(match[0]), dueChange(found, dates: dates))
        }
        guard let match = firstMatch("^\(changeVerbs)(?: back)?(?: the)?(?: task)? (.+)$", text) else { return nil }
        let verb = text.split(separator: " ").first.map { $0.lowercased() } ?? ""
        let rest = match[0]
        let words = Words(rest)
        if let found = dates.find(in: words), found.range.upperBound == words.original.count || trailingOnly(words, after: found.range.upperBound) {
            var reference = words.removing(found.range.lowerBound..<words.original.count)
            if let range = reference.range(of: #"\s+(?:to|till|until|for|on|by|into|back to|back|over to|out to|up to|forward to|due|off|due date to)$"#, options: [.regularExpression, .caseInsensitive]) {
                reference.removeSubrange(range)
            }
            if let range = reference.range(of: #"\s+(?:due date|deadline|date)$"#, options: [.regularExpression, .caseInsensitive]) { reference.removeSubrange(range) }
            if !reference.isEmpty, verb != "give" {
                var change = dueChange(found, dates: dates)
                // "set alarm for 6am" is rarely about a task: asked first.
                change.needsYes = ["set", "adjust"].contains(verb)
                return .update(ref(reference), change)
            }
        }
        if ["change", "update", "edit", "modify", "switch", "set"].contains(verb), let target = firstMatch(#"^(.+?) (?:to|into|as|->) (.+)$"#, rest) {
            // "update the report to include Q3", "set the thermostat to 68": maybe not a new title, so asked first.
            var change = Change(title: target[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'“”")))
            change.needsYes = target[1].first.map { !"\"'“".contains($0) } ?? true
            return .update(ref(target[0]), change)
        }
        return nil
    }

    static func dueChange(_ found: DatePhrase.Found, dates: DatePhrase) -> Change {
        var change = Change(due: dates.resolve(found))
        if found.day == nil, found.exact == nil, let time = found.time { change.dueTime = [time.hour, time.minute] }
        return change
    }

    static func recurrenceChange(_ text: String, dates: DatePhrase) -> OfflineIntent? {
        let patterns = [
            #"^(?:make|set|change|switch|update|turn)(?: the)?(?: task)? (.+?) (?:to |into |as )?(?:a )?(?:repeat|recur|repeating|recurring|recurrent|happen|be)(?: task)? ?(.*)$"#,
            #"^(?:make|set|change|switch|update)(?: the)?(?: task)? (.+?) (?:to |into )?((?:every|each|daily|weekly|monthly|everyday)\b.*)$"#,
            #"^(?:repeat|recur)(?: the)?(?: task)? (.+?) ((?:every|each|daily|weekly|monthly|everyday)\b.*)$"#,
            #"^(.+?) (?:should|needs to|has to|must|will|is going to)? ?(?:repeat|recur|happen|be repeated|be recurring|be)(?: on)? ((?:every|each|daily|weekly|monthly|everyday)\b.*)$"#,
            #"^(.+?) (?:repeats|recurs|happens|is|is due) ((?:every|each|daily|weekly|monthly|everyday)\b.*)$"#,
        ]
        for pattern in patterns {
            guard let match = firstMatch(pattern, text) else { continue }
            let phrase = match.count > 1 ? match[1] : ""
            switch RecurrencePhrase.extract(from: phrase.isEmpty ? "weekly" : phrase) {
            case .none: continue
            case .unsupported(let what): return .unsupported(what)
            case .found(let found, let rest):
                let time = dates.find(in: Words(rest))
                var change = Change(recurrence: found.recurrence)
                change.due = dates.firstDue(of: found, time: time)
                return .update(ref(match[0]), change)
            }
        }
        return nil
    }

    static func priority(_ word: String) -> String {
        switch word.lowercased() {
        case "high", "higher", "urgent", "important", "top", "critical": "high"
        case "low", "lower", "not urgent", "not important", "less urgent", "less important": "low"
        default: "medium"
        }
    }

    /// The date when the whole phrase is a date ("saturday", "next week at 5pm"), else nil.
    static func wholeDate(_ phrase: String, dates: DatePhrase) -> DatePhrase.Found? {
        let words = Words(phrase)
        guard let found = dates.find(in: words), found.range.lowerBound == 0 || words.lower[0..<found.range.lowerBound].allSatisfy({ ["to", "for", "on", "by", "until", "till", "the"].contains($0) }),
              found.range.upperBound == words.original.count || trailingOnly(words, after: found.range.upperBound)
        else { return nil }
        return found
    }

    static func trailingOnly(_ words: Words, after index: Int) -> Bool {
        words.lower[index...].allSatisfy { ["instead", "please", "pls", "now", "then", "thanks", "actually", ""].contains($0) }
    }

    /// "I bought milk", "I've sent the invoice": a past verb and the rest of the task's words.
    static let pastVerb = #"^(?:i(?:'ve| have)? )?(?:just |already |finally )?(bought|paid|called|sent|emailed|booked|fixed|cleaned|washed|watered|returned|picked up|dropped off|submitted|renewed|cancelled|canceled|scheduled|ordered|mailed|posted|fed|walked|wrote|read|finished reading|replied to|texted|visited|took out|taken out|put away|packed|printed|signed|filed|collected|prepped|prepared|paid off|picked|finished prepping|finished preparing) (.+)$"#

    static func complete(_ text: String, checked: Bool) -> OfflineIntent? {
        if checked, !text.isEmpty {
            return .complete(ref(text.replacingOccurrences(of: #"^(?:got|did|done|finished|completed)\s+"#, with: "", options: [.regularExpression, .caseInsensitive])))
        }
        let done = #"(?:done|complete|completed|finished|checked off|ticked off|crossed off|taken care of|sorted|handled|over with|out of the way|dealt with|all done|done and dusted|finito|ready|accomplished)"#
        let patterns = [
            #"^(?:tick|check|cross|mark|strike)(?: the)? (.+?) off(?: (?:my|the) list)?$"#,
            "^(?:mark|check|tick|cross|set|flag)(?: off)?(?: the)?(?: task)? (.+?)(?: as| to)? \(done)$",
            #"^(?:complete|finish|finished|done|done with|done wit|check off|tick off|cross off|cross out|close|close out|mark off|wrap up|wrapped up|completed|check|tick)(?: the)?(?: task)? (.+)$"#,
            #"^(?:i(?:'ve| have)? )?(?:just |already |finally |now )?(?:did|finished|completed|have done|done with|wrapped up|took care of|taken care of|dealt with|handled|crossed off|ticked off|checked off|got through)(?: with)? (.+)$"#,
            "^(.+?)(?: is| are| was| were|'s| has been| have been| got| is now| is all| is finally| was finally)(?: all| now| finally| already| totally| completely)? \(done)(?: now| already| today| finally| actually| too)?$",
            "^(?:got|gotten) (.+?) \(done)$",
            "^(.+?)\\s*(?:-|:|=|–)\\s*\(done)$",
            "^(.+?) (?:done|finished)$",
            pastVerb,
            #"^(?:done|finished|completed|complete)\s*[:\-–]\s*(.+)$"#,
            #"^(?:i'm|im|i am|we're|we are) (?:all )?(?:done|finished|through) with (.+)$"#,
            #"^(.+?) (?:is|are|was|were|has been|have been|got|is now|are now|is all|is finally)? ?(?:paid|sent|booked|fixed|cleaned|washed|bought|returned|submitted|renewed|ordered|filed|signed|mailed|posted|watered|fed|emailed|called|picked up|dropped off|printed|packed|collected|sorted|handled|taken out|put away|scheduled)(?: now| already| today| finally)?$"#,
        ]
        for pattern in patterns {
            guard let match = firstMatch(pattern, text) else { continue }
            if pattern == pastVerb, !match[1].isEmpty {
                // "I bought milk" completes "buy milk": the verb is part of the reference.
                return .complete(.words(withoutAside(match[0] + " " + match[1])))
            }
            return .complete(ref(match[0]))
        }
        return nil
    }

    static func delete(_ text: String) -> OfflineIntent? {
        let patterns = [
            #"^(?:delete|remove|erase|trash|get rid of|rm|del)(?: the)?(?: task)? (.+?)(?: from (?:my|the) (?:list|tasks|todo list))?$"#,
            #"^(?:i )?(?:no longer|don't|dont|do not) (?:need|have|want) to (.+?)(?: anymore| any more)?$"#,
            #"^(.+?) (?:is|isn't|is not) (?:no longer needed|not needed anymore|not needed any more|cancelled|canceled|off|not happening|irrelevant now|no longer relevant|not necessary anymore)$"#,
            #"^(?:i )?(?:don't|dont|do not) need (.+?) (?:anymore|any more)$"#,
            #"^take (.+?) (?:off|out of) (?:my|the) (?:list|tasks|todo list|to-do list)$"#,
            #"^(?:there's |theres |there is )?no (?:more )?need (?:to|for) (.+?)(?: anymore| any more)?(?:,? (?:so )?(?:delete|remove|drop) (?:it|that))?$"#,
        ]
        if let found = firstReference(patterns, in: text) { return .delete(found, sure: true) }
        // Words that also mean other things ("cancel netflix", "drop the kids off"): asked first.
        if let match = firstMatch(#"^(?:drop|bin|scrap|scratch|nix|kill|ditch|discard|cancel|forget about|forget|throw away|strike|clear)(?: the)?(?: task)? (.+?)( (?:from|off) (?:my|the) (?:list|tasks|todo list|to-do list))?$"#, text) {
            return .delete(ref(match[0]), sure: !match[1].isEmpty)
        }
        return nil
    }

    // MARK: - Listing

    static func listing(_ text: String, dates: DatePhrase) -> Listing? {
        let asks = #"\b(?:show|list|what|what's|whats|which|display|see|view|tasks|todos|todo|to-dos|to do|pending|overdue|due|left|remaining|outstanding|agenda|plate|open|finished|completed|anything|got|find|search|look|have i|do i have|how many|everything|priority|urgent|important|tagged|stuff)\b|#"#
        guard text.range(of: asks, options: .regularExpression) != nil else { return nil }
        // A question must be about tasks: "how many calories are in a banana" is not a listing.
        let about = #"\b(?:task|tasks|todo|todos|to-do|to-dos|to do|list|lists|pending|overdue|due|left|remaining|outstanding|completed|done|finished|open|agenda|plate|priority|urgent|important|tagged|tag|stuff|things|items|everything|anything|reminders|next|late|checked|ticked|mine|have i|do i have|should i|need to|got|week|today|tonight|tomorrow|upcoming|coming up|on for|did i (?:finish|complete|do|get done)|have i (?:finished|completed|done))\b|#"#
        guard text.range(of: about, options: .regularExpression) != nil else { return nil }
        if text.range(of: #"\b(?:weather|joke|time is it|your name|who are you|meaning of life|capital of|news|song|poem|recipe|translate|convert|\d+ ?[+*/x-] ?\d+)\b"#, options: .regularExpression) != nil {
            return nil
        }
        var listing = Listing()
        if text.range(of: #"\b(?:pending|open|remaining|left|incomplete|to do|not done|outstanding|unfinished|still (?:have|need)|have to do|need to do|should i do|must i do|on my plate|undone|active|next)\b"#, options: .regularExpression) != nil {
            listing.status = "pending"
            listing.label = "pending"
        }
        if text.range(of: #"\b(?:completed|done|finished|checked off|ticked off|accomplished|crossed off|did i (?:finish|complete|do))\b"#, options: .regularExpression) != nil,
           text.range(of: #"\b(?:not done|to be done|(?:need|have|must|should|got) to get done|needs? to be done|not finished|unfinished)\b"#, options: .regularExpression) == nil {
            listing.status = "completed"
            listing.label = "completed"
        }
        if let match = firstMatch(#"(?:#|\btag(?:ged)? (?:with |as )?#?|\blabell?ed #?|\bunder #?|\bin #)([\w-]+)"#, text) {
            listing.tag = match[0]
            listing.label = "tagged #\(match[0])"
        }
        if let match = firstMatch(#"\b(high|low|medium|urgent|important|top)(?:-| )(?:priority|prio)\b|\b(urgent|important) (?:tasks|ones|stuff|things|items)\b|\bpriority (high|low|medium)\b"#, text) {
            let word = match.first { !$0.isEmpty } ?? "high"
            listing.priority = priority(word)
            listing.label = "\(listing.priority ?? "high") priority"
        }
        if listing.tag == nil, listing.priority == nil,
           let match = firstMatch(#"\b(?:about|mentioning|with the word|containing|related to|matching|regarding|called|named|for|search for|search|find|look for|look up|with|involving|on)\s+["']?([\w -]+?)["']?(?: in (?:it|them|the title|the name))?$"#, text),
           !["today", "tomorrow", "this week", "me", "the week", "now", "next week", "later"].contains(match[0]) {
            let query = match[0].replacingOccurrences(of: #"^(?:the|my|a|an|tasks?|todos?)\s+"#, with: "", options: .regularExpression)
            if !query.isEmpty, !["tasks", "todos", "task", "stuff", "things", "everything", "anything"].contains(query) {
                listing.query = query
                listing.label = "matching “\(query)”"
            }
        }
        if listing.tag == nil, listing.priority == nil, listing.query == nil,
           let match = firstMatch(#"\b([a-z][\w-]*) (?:stuff|tasks|things|items|todos|ones|related tasks)\b"#, text), !listingWords.contains(match[0]) {
            listing.tag = match[0]
            listing.label = "tagged #\(match[0])"
        }
        let today = dates.startOfDay(dates.now)
        if text.range(of: #"\b(?:overdue|late|past due|missed)\b"#, options: .regularExpression) != nil {
            return dated(listing, status: "pending", dueBefore: dates.now, label: "overdue")
        }
        if text.range(of: #"\b(?:this week|the week|rest of the week|this weeks|week)\b"#, options: .regularExpression) != nil, !text.contains("next week") {
            return dated(listing, status: "pending", dueBefore: dates.endOfWeek, label: "due this week")
        }
        if text.range(of: #"\b(?:today|tonight|this evening|this afternoon)\b"#, options: .regularExpression) != nil {
            return dated(listing, status: "pending", dueBefore: dates.calendar.date(byAdding: .day, value: 1, to: today), dueAfter: today, label: "due today")
        }
        if text.range(of: #"\b(?:tomorrow|tmrw|tmr)\b"#, options: .regularExpression) != nil {
            return dated(
                listing,
                status: "pending", dueBefore: dates.calendar.date(byAdding: .day, value: 2, to: today),
                dueAfter: dates.calendar.date(byAdding: .day, value: 1, to: today), label: "due tomorrow"
            )
        }
        if text.contains("next week") {
            return dated(
                listing,
                status: "pending", dueBefore: dates.calendar.date(byAdding: .day, value: 7, to: dates.endOfWeek), dueAfter: dates.endOfWeek,
                label: "due next week"
            )
        }
        return listing
    }

    /// A due-date listing keeps the priority and tag said with it ("high priority stuff due this week"); a search
    /// word is dropped, since what follows "for" or "on" there is usually the date itself.
    static func dated(_ base: Listing, status: String, dueBefore: Date?, dueAfter: Date? = nil, label: String) -> Listing {
        var listing = base
        listing.query = nil
        listing.status = status
        listing.dueBefore = dueBefore
        listing.dueAfter = dueAfter
        let extra = [listing.priority.map { "\($0) priority" }, listing.tag.map { "#\($0)" }]
        listing.label = ([label] + extra.compactMap { $0 }).joined(separator: ", ")
        return listing
    }

    static let listingWords: Set<String> = [
        "my", "the", "all", "pending", "open", "completed", "done", "finished", "high", "low", "medium", "urgent", "important", "overdue",
        "remaining", "any", "other", "some", "what", "which", "these", "those", "current", "old", "new", "outstanding", "unfinished",
        "incomplete", "active", "due", "today's", "todays", "tomorrow's", "your", "of", "priority", "show", "list", "many", "recent", "latest",
        "checked", "ticked", "late", "upcoming", "next", "week's", "weekly", "daily", "monthly", "repeating", "recurring", "left",
    ]

    // MARK: - Anything else

    /// No command word: small questions and chatter are not tasks; a short phrase with a date, priority or tag is
    /// offered as a task; everything else is not understood.
    static func guess(_ text: String, lower: String, dates: DatePhrase) -> OfflineIntent {
        if lower.range(of: #"\b(?:weather|joke|calories|recipe|translate|poem|song|news|capital of|meaning of life)\b"#, options: .regularExpression) != nil {
            return .unknown
        }
        if lower.range(of: #"^(?:what|what's|whats|who|who's|why|how|how's|where|when|is|are|can|could|would|will|do|does|did|tell|translate|sing|write me|give me|play|open|call me|search the web|google|calculate|order|buy me|book me|send)\b"#, options: .regularExpression) != nil
            || lower.range(of: #"[+*/=]|\d\s*-\s*\d"#, options: .regularExpression) != nil || lower.hasSuffix("?") {
            return .unknown
        }
        guard lower.split(separator: " ").count <= 12, case .add(let draft) = TaskDraft.parse(text, dates: dates),
              draft.due != nil || draft.priority != nil || !draft.tags.isEmpty || draft.recurrence != nil
        else { return .unknown }
        return .maybeAdd(draft)
    }

    /// The task the first matching pattern names in its first group.
    static func firstReference(_ patterns: [String], in text: String) -> TaskRef? {
        for pattern in patterns {
            if let match = firstMatch(pattern, text) { return ref(match[0]) }
        }
        return nil
    }

    /// The capture groups of the first match, case-insensitively; a group that did not take part is "", and there
    /// are always at least four, so a pattern edited without its reader can never index out of range.
    static func firstMatch(_ pattern: String, _ text: String) -> [String]? {
        guard let regex = Self.regex(pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return nil }
        let groups = (1..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: text).map { String(text[$0]).trimmingCharacters(in: .whitespaces) } ?? ""
        }
        return groups + Array(repeating: "", count: max(0, 4 - groups.count))
    }

    static func regex(_ pattern: String) -> NSRegularExpression? {
        RegexCache.shared.regex(pattern)
    }
}

/// Compiled patterns, kept: the offline agent matches the same few dozen on every message.
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]

    func regex(_ pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let found = compiled[pattern] { return found }
        let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        compiled[pattern] = regex
        return regex
    }
}
