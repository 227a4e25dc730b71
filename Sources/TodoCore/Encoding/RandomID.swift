/// Random ids in Better Auth's shape: letters and digits from the system's secure generator (32 characters carry
/// about 190 bits), for row ids, session tokens and key ids alike.
public enum RandomID {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    public static func make(length: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] }
        return String(decoding: characters, as: UTF8.self)
    }
}
