import Testing
@testable import todo_chatbot
import TodoCore

@Suite struct EnvFileTests {
    @Test func parsesTheCommonDotenvForms() throws {
        let text = """
            # a comment
            PORT=8001
            export HOST = 0.0.0.0
            LOG_LEVEL=debug # trailing comment
            OPENAI_MODEL="gpt 4o" # quoted
            SINGLE='a#b'
            ESCAPED="line1\\nline2"
            EMPTY=
            WINDOWS=crlf\r
            """
        let values = try EnvFile.parse(text)
        #expect(values["PORT"] == "8001")
        #expect(values["HOST"] == "0.0.0.0")
        #expect(values["LOG_LEVEL"] == "debug")
        #expect(values["OPENAI_MODEL"] == "gpt 4o")
        #expect(values["SINGLE"] == "a#b")
        #expect(values["ESCAPED"] == "line1\nline2")
        #expect(values["EMPTY"] == "")
        #expect(values["WINDOWS"] == "crlf")
    }

    @Test func reportsTheLineOfAMalformedEntry() {
        #expect(throws: ConfigError(key: ".env", problem: "line 2 is not KEY=VALUE")) {
            try EnvFile.parse("A=1\nnot a pair\n")
        }
        #expect(throws: ConfigError(key: ".env", problem: "line 1 has an unterminated quote")) {
            try EnvFile.parse("A=\"open\n")
        }
        #expect(throws: ConfigError.self) { try EnvFile.parse("1BAD=x") }
    }
}
