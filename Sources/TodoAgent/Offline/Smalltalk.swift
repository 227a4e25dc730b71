import Foundation

/// Polite answers to greetings, thanks and chatter, so a friendly message does not get the help text.
enum Smalltalk {
    static let replies: [(pattern: String, reply: String)] = [
        (#"^(?:hi|hello|hey|hiya|howdy|yo|sup|greetings|hallo|hola|good (?:morning|afternoon|evening|day)|morning|evening|hey there|hi there|hello there)(?: there| again| bot| assistant| friend| buddy)?$"#,
         "Hi! What would you like to do with your tasks? For example “add buy milk tomorrow” or “what's due this week?”"),
        (#"^(?:thanks|thank you|thank u|thx|ty|cheers|thanks a lot|thanks so much|thank you so much|much appreciated|appreciate it|great,? thanks|perfect,? thanks|awesome,? thanks|ok,? thanks|okay,? thanks|cool,? thanks|nice,? thanks|thanks a bunch|many thanks|tysm|ta|cheers mate|thanks mate|thank you mate|thanks man|thanks buddy|thx mate)$"#,
         "You're welcome! Anything else for your list?"),
        (#"^(?:bye|goodbye|good bye|see you|see ya|cya|later|good night|gn|night|ttyl|that's all|thats all|that's it|thats it|all good|nothing else|i'm done|im done for now|done for now)$"#,
         "Bye for now! Your tasks are saved."),
        (#"^(?:how are you|how are you doing|how's it going|hows it going|how are things|what's up|whats up|wassup|how do you do|you ok|are you ok)$"#,
         "I'm doing well, thanks for asking! Ready to help with your tasks."),
        (#"^(?:you're|youre|you are|u r|ur) (?:great|awesome|amazing|the best|helpful|so helpful|cool|smart|nice|a star|brilliant|fantastic)$|^(?:good|great|nice|awesome|cool|perfect|excellent|amazing|brilliant|sweet|wonderful|lovely|fantastic)(?: job| work| bot| one|,? thanks)?$|^(?:love (?:it|you|this)|i love (?:it|you|this)|well done|nice one|good job|great job)$"#,
         "Thank you! Happy to help."),
        (#"^(?:who are you|what are you|what's your name|whats your name|what is your name|are you a (?:bot|robot|human|person|ai))$"#,
         "I'm your todo assistant, running offline. I can add, list, change, complete and delete your tasks."),
        (#"^(?:lol|haha|hahaha|lmao|hehe|:\)|:d|ok|okay|k|kk|cool|nice|got it|alright|sounds good|fine|great|hmm|hm|oh|ah|i see|understood|noted)$"#,
         "Okay! Tell me whenever you want to add or change a task."),
        (#"^(?:sorry|my bad|oops|whoops)$"#, "No problem! What would you like to do?"),
    ]

    static func reply(to lower: String) -> String? {
        let text = lower.trimmingCharacters(in: CharacterSet(charactersIn: " !.?,~")).replacingOccurrences(of: "’", with: "'")
        return replies.first { text.range(of: $0.pattern, options: .regularExpression) != nil }?.reply
    }
}
