/// Why a file cannot become an observation. The description always names the
/// file, and the key when one is at fault, so an operator can act on it.
public struct ObservationError: Error, CustomStringConvertible, Sendable {
    /// The kinds of problem; `reason` in `ingest_files` and the quarantine's
    /// `.reason` file carry the description.
    public enum Kind: String, Sendable {
        /// CFITSIO could not read the file (not FITS, truncated, unreadable).
        case unreadable
        /// The file holds no 2-D image.
        case noImage
        /// A required header key is absent.
        case missingKey
        /// A header key holds a value that cannot be used.
        case invalidValue
        /// The header has no usable celestial WCS.
        case noWCS
        /// Every pixel is NaN or blank.
        case allBlank
    }

    /// What went wrong.
    public let kind: Kind
    /// The file, as given.
    public let file: String
    /// The header key at fault, when there is one.
    public let key: String?
    /// The detail: the library's message or what the value was.
    public let detail: String

    /// An error of `kind` about `file`.
    public init(_ kind: Kind, file: String, key: String? = nil, detail: String) {
        self.kind = kind
        self.file = file
        self.key = key
        self.detail = detail
    }

    public var description: String {
        let keyPart = key.map { " (key \($0))" } ?? ""
        return "\(file): \(kind.rawValue)\(keyPart): \(detail)"
    }
}
