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
public struct AnyCodingKey: CodingKey {
    public var stringValue: String
    public var intValue: Int?
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// The scalar values of the mapping's keys outside `excluded`, as JSON
    /// text of one object (integers, then numbers, booleans, strings), so a
    /// section can hand a block of its keys to a type that decodes JSON.
    /// A key whose value is not a scalar is an error naming it.
    public func scalarsAsJSON(excluding excluded: Set<String>) throws -> String {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        var parts: [String] = []
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue })
        where !excluded.contains(key.stringValue) {
            let name = "\"\(key.stringValue)\""
            if let v = try? container.decode(Int.self, forKey: key) { parts.append("\(name): \(v)") }
            else if let v = try? container.decode(Double.self, forKey: key), v.isFinite { parts.append("\(name): \(v)") }
            else if let v = try? container.decode(Bool.self, forKey: key) { parts.append("\(name): \(v)") }
            else if let v = try? container.decode(String.self, forKey: key) {
                let escaped = v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                parts.append("\(name): \"\(escaped)\"")
            } else {
                let path = (codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
                throw ConfigurationError(key: path, problem: "must be a number, a boolean or a string")
            }
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

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
