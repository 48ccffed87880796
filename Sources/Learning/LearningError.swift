/// An error from fitting, decoding or applying a model in `Learning`.
///
/// `description` is safe to log: it names the parameter, column or row at fault (`key`) and says
/// what is wrong with it, never echoing whole data rows.
public struct LearningError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The parameter, column or input the error is about (for example `lowdim` or `rows`), when
    /// there is one.
    public let key: String?
    /// What is wrong, in words an operator can act on.
    public let message: String

    /// Creates an error about `key` (nil when it concerns no single key).
    public init(key: String?, _ message: String) {
        self.key = key
        self.message = message
    }

    public var description: String {
        guard let key else { return message }
        return "\(key): \(message)"
    }
}
