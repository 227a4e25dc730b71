import Foundation

/// Percent-encoding of one URL query value, as JavaScript's `encodeURIComponent` does it minus `!'()*`: only RFC
/// 3986's unreserved characters stay as they are, so `&`, `=`, `+`, `?` and `#` inside a value cannot split it.
public enum PercentEncoding {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public static func component(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
