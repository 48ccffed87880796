import CWCSLIB

/// A failure to read or use a world coordinate system.
///
/// The kinds are fixed (``noWCS``, ``invalidHeader``, ``invalidParameters``,
/// ``conversionFailed``) so callers can match on them; the ``message`` carries
/// WCSLIB's own explanation and the ``fileName`` says which image it was about.
///
/// Two errors compare equal when they are the same kind of failure, whatever
/// their message or file, so `#expect(throws: WCSError.noWCS)` and
/// `catch let error where error == .conversionFailed` work.
public struct WCSError: Error, CustomStringConvertible, Equatable, Sendable {
    // fileprivate, not private: WCSLIBCall below maps each call to its kind.
    fileprivate enum Kind: Equatable, Sendable {
        case noWCS
        case invalidHeader
        case invalidParameters
        case conversionFailed
    }

    private let kind: Kind
    /// What went wrong, usually WCSLIB's own message (e.g. "Ill-conditioned
    /// coordinate transformation parameters" with the function that said so).
    public let message: String
    /// The image file the header came from, when the caller named one.
    public let fileName: String?
    /// The WCSLIB status code, when the failure came from a WCSLIB call.
    public let status: Int32?

    private init(_ kind: Kind, message: String = "", fileName: String? = nil, status: Int32? = nil) {
        self.kind = kind
        self.message = message
        self.fileName = fileName
        self.status = status
    }

    /// The header holds no celestial WCS: no RA/Dec-type `CTYPEi` pair, or no
    /// WCS keywords at all. Reported instead of silently using an identity map.
    public static let noWCS = WCSError(.noWCS)
    /// WCSLIB could not parse the header text itself.
    public static let invalidHeader = WCSError(.invalidHeader)
    /// The WCS keywords were read but describe an unusable transformation
    /// (singular matrix, unknown projection, bad parameter values).
    public static let invalidParameters = WCSError(.invalidParameters)
    /// A coordinate could not be converted, e.g. a point outside the
    /// projection's domain or a sky position on the far side of a TAN plane.
    public static let conversionFailed = WCSError(.conversionFailed)

    static func noWCS(_ message: String, fileName: String?) -> WCSError {
        WCSError(.noWCS, message: message, fileName: fileName)
    }

    static func invalidHeader(_ message: String, fileName: String?) -> WCSError {
        WCSError(.invalidHeader, message: message, fileName: fileName)
    }

    static func invalidParameters(_ message: String, fileName: String?) -> WCSError {
        WCSError(.invalidParameters, message: message, fileName: fileName)
    }

    static func conversionFailed(_ message: String, fileName: String?) -> WCSError {
        WCSError(.conversionFailed, message: message, fileName: fileName)
    }

    public static func == (lhs: WCSError, rhs: WCSError) -> Bool {
        lhs.kind == rhs.kind
    }

    public var description: String {
        let subject = fileName.map { "WCS of \($0)" } ?? "WCS"
        let what: String
        switch kind {
        case .noWCS: what = "no celestial world coordinate system in the header"
        case .invalidHeader: what = "header could not be parsed"
        case .invalidParameters: what = "invalid WCS parameters"
        case .conversionFailed: what = "coordinate conversion failed"
        }
        let detail = message.isEmpty ? "" : ": \(message)"
        let code = status.map { " (WCSLIB status \($0))" } ?? ""
        return "\(subject): \(what)\(detail)\(code)"
    }
}

/// The WCSLIB entry points whose status we check; each knows its message table
/// and which kind of failure a nonzero status means.
enum WCSLIBCall: Sendable {
    case wcspih
    case wcsfix(String)
    case wcsset
    case wcsp2s
    case wcss2p
    case wcshdo

    fileprivate var kind: WCSError.Kind {
        switch self {
        case .wcspih: .invalidHeader
        case .wcsfix, .wcsset, .wcshdo: .invalidParameters
        case .wcsp2s, .wcss2p: .conversionFailed
        }
    }

    fileprivate var name: String {
        switch self {
        case .wcspih: "wcspih"
        case .wcsfix(let fix): fix
        case .wcsset: "wcsset"
        case .wcsp2s: "wcsp2s"
        case .wcss2p: "wcss2p"
        case .wcshdo: "wcshdo"
        }
    }
}

extension WCSError {
    /// The one place a WCSLIB status becomes a Swift error; every call into
    /// WCSLIB that returns a status goes through here.
    ///
    /// - Parameters:
    ///   - status: The value WCSLIB returned; 0 means success and returns quietly.
    ///   - call: Which function returned it, to pick the message table and kind.
    ///   - detail: The `wcserr` WCSLIB filled in (`wcsprm::err`, or a `wcsfixi`
    ///     info entry), preferred over the generic table text because it names
    ///     the low-level function and the offending value. Borrowed, not freed.
    ///   - fileName: The image the header came from, for the message.
    static func check(_ status: Int32, from call: WCSLIBCall,
                      detail: UnsafePointer<wcserr>? = nil, fileName: String?) throws(WCSError) {
        guard status != 0 else { return }
        throw WCSError(call.kind, message: wcslibMessage(status, from: call, detail: detail),
                       fileName: fileName, status: status)
    }

    private static func wcslibMessage(_ status: Int32, from call: WCSLIBCall,
                                      detail: UnsafePointer<wcserr>?) -> String {
        if let detail, detail.pointee.status != 0, let text = detail.pointee.msg {
            let function = detail.pointee.function.map { String(cString: $0) } ?? call.name
            return "\(function): \(String(cString: text))"
        }
        let table: UnsafePointer<CChar>?
        switch call {
        case .wcspih: table = nocturne_wcshdr_errmsg(status)
        case .wcsfix: table = nocturne_wcsfix_errmsg(status)
        case .wcsset, .wcsp2s, .wcss2p, .wcshdo: table = nocturne_wcs_errmsg(status)
        }
        let text = table.map { String(cString: $0) } ?? "unknown WCSLIB status"
        return "\(call.name): \(text)"
    }
}
