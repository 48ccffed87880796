/// An error from reading, writing or validating a FITS file.
///
/// `description` is meant for people and logs: it always starts with the file
/// (its path, or the label given to an in-memory file) and says what is wrong.
/// `debugDescription` adds CFITSIO's status code, status text and the messages
/// CFITSIO pushed on its error stack, which is what a bug report needs.
///
/// Match on ``code`` rather than on the message text, e.g.
/// `catch let error as FITSError where error.code == .truncated`. The set of
/// codes can grow without breaking callers because ``Code`` is a struct over a
/// private enum, not a public enum.
public struct FITSError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of problem occurred.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: Sendable, Hashable {
            case fileNotFound, unreadable, fileExists, notFITS, truncated, missingKey, invalidKeyValue
            case noImageHDU, wrongDimensionality, allBlank, invalidHeaderCard, fileClosed, cfitsio
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The path does not exist.
        public static var fileNotFound: Code { Code(.fileNotFound) }
        /// The path exists but cannot be opened for reading (permissions, a special file).
        public static var unreadable: Code { Code(.unreadable) }
        /// A file was to be created, the path exists and overwriting was not asked for.
        public static var fileExists: Code { Code(.fileExists) }
        /// The bytes are not FITS: no `SIMPLE` card at the start, or a header CFITSIO cannot parse.
        public static var notFITS: Code { Code(.notFITS) }
        /// The file ends before the header or data it announces.
        public static var truncated: Code { Code(.truncated) }
        /// A required header keyword is absent.
        public static var missingKey: Code { Code(.missingKey) }
        /// A header keyword is present but its value has the wrong type or no value.
        public static var invalidKeyValue: Code { Code(.invalidKeyValue) }
        /// No HDU in the file holds an image.
        public static var noImageHDU: Code { Code(.noImageHDU) }
        /// The image is not two-dimensional.
        public static var wrongDimensionality: Code { Code(.wrongDimensionality) }
        /// Every pixel is NaN or blank, so the frame carries no data.
        public static var allBlank: Code { Code(.allBlank) }
        /// A header card given for writing is not allowed (structural keyword, bad name or value).
        public static var invalidHeaderCard: Code { Code(.invalidHeaderCard) }
        /// The file was used after ``FITSFile/close()``.
        public static var fileClosed: Code { Code(.fileClosed) }
        /// Any other CFITSIO failure; see ``FITSError/cfitsioStatus``.
        public static var cfitsio: Code { Code(.cfitsio) }

        /// The code's name, e.g. `truncated`, as used in ``FITSError/debugDescription``.
        public var description: String { "\(value)" }
    }

    /// What kind of problem occurred.
    public let code: Code
    /// The file concerned: a path, or the label of an in-memory file.
    public let file: String
    /// The problem in words, without the file name (``description`` adds it).
    public let problem: String
    /// The header keyword concerned, for ``Code/missingKey`` and ``Code/invalidKeyValue``.
    public let key: String?
    /// CFITSIO's status code when the error came from CFITSIO, else `nil`.
    public let cfitsioStatus: Int32?
    /// CFITSIO's short text for ``cfitsioStatus`` (from `ffgerr`), else `nil`.
    public let cfitsioStatusText: String?
    /// The messages CFITSIO had on its error stack (from `ffgmsg`), oldest first.
    public let cfitsioMessages: [String]

    /// Creates an error. Library code inside this module builds them; the
    /// initialiser is internal so every error names its file.
    init(_ code: Code, file: String, problem: String, key: String? = nil,
         cfitsioStatus: Int32? = nil, cfitsioStatusText: String? = nil, cfitsioMessages: [String] = []) {
        self.code = code
        self.file = file
        self.problem = problem
        self.key = key
        self.cfitsioStatus = cfitsioStatus
        self.cfitsioStatusText = cfitsioStatusText
        self.cfitsioMessages = cfitsioMessages
    }

    /// `<file>: <problem>`.
    public var description: String { "\(file): \(problem)" }

    /// ``description`` plus the CFITSIO status and error stack, when there is one.
    public var debugDescription: String {
        var text = "FITSError.\(code): \(description)"
        if let status = cfitsioStatus {
            text += " [CFITSIO status \(status): \(cfitsioStatusText ?? "?")]"
        }
        for message in cfitsioMessages {
            text += "\n  CFITSIO: \(message)"
        }
        return text
    }
}
