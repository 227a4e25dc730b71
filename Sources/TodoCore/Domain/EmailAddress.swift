import Foundation

/// How an email is compared and stored: trimmed and lowercased, so `Ada@Example.com ` signs in as `ada@example.com`.
public enum EmailAddress {
    public static func normalized(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
