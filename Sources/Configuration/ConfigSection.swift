/// A typed block of configuration: a `Sendable` struct decoded from one section
/// of the YAML, with every field documented (units and default) and checked in
/// ``validate()``.
///
/// Conformers decode with defaults for missing keys and call
/// ``Swift/Decoder/refuseUnknownKeys(_:)`` so a misspelt key stops the start
/// instead of being silently ignored.
public protocol ConfigSection: Decodable, Sendable {
    /// Checks ranges and combinations after decoding. Throw
    /// ``ConfigurationError`` with the key relative to this section.
    func validate() throws
}

extension ConfigSection {
    public func validate() throws {}
}

/// A coding key for any string, to list the keys a YAML mapping really has.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// Throws if the mapping being decoded holds a key that `Keys` does not
    /// name, so that `threshhold: 3` is an error rather than a silent default.
    public func refuseUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        let known = Set(Keys.allCases.map(\.stringValue))
        for key in container.allKeys where !known.contains(key.stringValue) {
            let path = (codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
            let expected = known.sorted().joined(separator: ", ")
            throw ConfigurationError(key: path, problem: "unknown key; expected one of: \(expected)")
        }
    }
}

/// Checks a condition of ``ConfigSection/validate()`` and names the key when
/// it fails.
///
/// - Parameters:
///   - condition: what must hold.
///   - key: the key, relative to the section being validated.
///   - problem: what is wrong, e.g. "must be > 0, got -1".
public func require(_ condition: Bool, key: String, _ problem: @autoclosure () -> String) throws {
    if !condition { throw ConfigurationError(key: key, problem: problem()) }
}
