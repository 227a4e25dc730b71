/// One way to read an enum from text (settings, query parameters, tool arguments): its raw value in any case, and
/// the list of allowed values for the message that refuses anything else.
extension RawRepresentable where Self: CaseIterable, RawValue == String {
    public init?(anyCase text: String) {
        self.init(rawValue: text.lowercased())
    }

    /// The raw values, comma-separated, as error messages list them.
    public static var allowedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
