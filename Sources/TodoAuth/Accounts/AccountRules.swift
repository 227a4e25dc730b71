import Foundation
import TodoCore

/// Validation of the sign-up fields, with Better Auth's limits.
public enum AccountRules {
    /// Trimmed and lower-cased; must look like `name@domain.tld` and fit in 254 characters.
    public static func email(_ raw: String) throws(TodoError) -> String {
        try TaskRules.storable(raw, field: "email")
        let email = EmailAddress.normalized(raw)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !email.contains(where: \.isWhitespace)
        else {
            // Better Auth's code, status (400) and words, which its clients look for.
            throw .badInput(code: "INVALID_EMAIL", message: "Invalid email", field: "email")
        }
        return email
    }

    /// Trimmed; 1–100 characters.
    public static func name(_ raw: String) throws(TodoError) -> String {
        try TaskRules.storable(raw, field: "name")
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else {
            throw .validation(field: "name", message: "name must be 1-100 characters")
        }
        return name
    }
}
