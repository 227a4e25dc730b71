import Foundation

/// Base64url without padding, as JWTs, JWKs and our cursors use it.
///
/// The alphabet is swapped byte by byte: `replacingOccurrences` went through NSString and was a tenth of a listing
/// page's cost (its cursor).
public enum Base64URL {
    public static func encode(_ data: some DataProtocol) -> String {
        let base64 = Data(data).base64EncodedData()
        var end = base64.endIndex
        while end > base64.startIndex, base64[end - 1] == UInt8(ascii: "=") { end -= 1 }
        let count = end - base64.startIndex
        return String(unsafeUninitializedCapacity: count) { text in
            for (offset, byte) in base64[..<end].enumerated() {
                text[offset] = byte == UInt8(ascii: "+") ? UInt8(ascii: "-") : byte == UInt8(ascii: "/") ? UInt8(ascii: "_") : byte
            }
            return count
        }
    }

    public static func decode(_ text: some StringProtocol) -> Data? {
        var base64 = [UInt8]()
        base64.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            base64.append(byte == UInt8(ascii: "-") ? UInt8(ascii: "+") : byte == UInt8(ascii: "_") ? UInt8(ascii: "/") : byte)
        }
        while !base64.count.isMultiple(of: 4) { base64.append(UInt8(ascii: "=")) }
        return Data(base64Encoded: Data(base64))
    }
}
