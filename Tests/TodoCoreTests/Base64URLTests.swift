import Foundation
import Testing
import TodoCore

@Suite struct Base64URLTests {
    @Test func everyLengthRoundTripsAndMatchesTheStandardAlphabetSwapped() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...70 {
            let bytes = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let encoded = Base64URL.encode(bytes)
            let expected = bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(encoded == expected)
            #expect(Base64URL.decode(encoded) == bytes)
        }
    }

    @Test func knownValuesAndBadInput() {
        #expect(Base64URL.encode(Data([0xfb, 0xff, 0xbf])) == "-_-_")
        #expect(Base64URL.encode(Data([0xff])) == "_w")
        #expect(Base64URL.decode("_w") == Data([0xff]))
        #expect(Base64URL.decode("_w==") == Data([0xff]))
        #expect(Base64URL.decode("") == Data())
        #expect(Base64URL.decode("a") == nil)
        #expect(Base64URL.decode("ab$d") == nil)
        #expect(Base64URL.decode("é") == nil)
    }
}
