/// Random session tokens in Better Auth's shape: 32 characters of letters and digits (about 190 bits).
public enum SessionToken {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    public static func generate(length: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] }
        return String(decoding: characters, as: UTF8.self)
    }
}
