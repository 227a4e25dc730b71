import Testing
@testable import TodoAPI

@Suite struct BearerValueTests {
    @Test func theSchemeIsAnyCaseAndTheValueIsTrimmed() {
        #expect(SessionResolver.bearerValue("Bearer abc.def") == "abc.def")
        #expect(SessionResolver.bearerValue("bEaReR   abc \t") == "abc")
        #expect(SessionResolver.bearerValue("BEARER x") == "x")
        #expect(SessionResolver.bearerValue("Bearer ") == "")
        #expect(SessionResolver.bearerValue("Bearer") == nil)
        #expect(SessionResolver.bearerValue("Bearerabc") == nil)
        #expect(SessionResolver.bearerValue("Bearer\tabc") == nil)
        #expect(SessionResolver.bearerValue("Basic YWxhZGRpbjpvcGVuc2VzYW1l") == nil)
        #expect(SessionResolver.bearerValue("Bearér abc") == nil)
        #expect(SessionResolver.bearerValue("") == nil)
        #expect(SessionResolver.bearerValue("B\u{301}earer abc") == nil)
        #expect(SessionResolver.bearerValue("Bearer\u{301} abc") == nil)
    }
}
