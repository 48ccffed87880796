import CFFTW
import Glibc

/// An error from the FFT module: a failed FFTW plan, thread set-up or wisdom
/// file operation.
///
/// FFTW reports failure only as a zero or `NULL` result and never with text, so
/// the message is the documented reason for that call plus, for file
/// operations, the operating system's own message from `errno`.
public struct FFTError: Error, Sendable, CustomStringConvertible {
    /// What was being attempted; each case knows why FFTW can fail at it.
    enum Operation: Sendable {
        case plan(width: Int, height: Int, direction: FFTDirection, rigor: FFTRigor, threads: Int)
        case initThreads
        case importWisdom(path: String)
        case exportWisdom(path: String)
    }

    private enum Kind: Sendable {
        case failed(Operation, systemMessage: String?)
        case invalidSize(width: Int, height: Int)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    init(failed operation: Operation, osError: Int32) {
        let message = osError == 0 ? nil : String(cString: strerror(osError))
        self.init(.failed(operation, systemMessage: message))
    }

    static func invalidSize(width: Int, height: Int) -> FFTError {
        FFTError(.invalidSize(width: width, height: height))
    }

    /// Whether planning found no wisdom for the size in ``FFTRigor/wisdomOnly`` mode.
    public var isMissingWisdom: Bool {
        if case .failed(.plan(_, _, _, .wisdomOnly, _), _) = kind { return true }
        return false
    }

    /// What failed, the size or file involved, and why.
    public var description: String {
        switch kind {
        case .invalidSize(let width, let height):
            return "FFT size \(width)x\(height) is invalid: both sides must be at least 1 and fit in Int32"
        case .failed(let operation, let systemMessage):
            let suffix = systemMessage.map { ": \($0)" } ?? ""
            return Self.describe(operation) + suffix
        }
    }

    private static func describe(_ operation: Operation) -> String {
        switch operation {
        case .plan(let width, let height, let direction, let rigor, let threads):
            let why = rigor == .wisdomOnly
                ? "no wisdom for this size; import wisdom or plan with another rigor"
                : "FFTW returned no plan for these flags"
            return "FFTW could not plan the \(direction) \(width)x\(height) transform "
                + "(\(rigor), \(threads) thread\(threads == 1 ? "" : "s")): \(why)"
        case .initThreads:
            return "fftwf_init_threads failed: FFTW's threads library could not start"
        case .importWisdom(let path):
            return "could not import FFTW wisdom from '\(path)' (missing, unreadable or not FFTW wisdom)"
        case .exportWisdom(let path):
            return "could not export FFTW wisdom to '\(path)'"
        }
    }
}

/// The one place an FFTW status becomes an error: `call` returns `nil` when
/// FFTW signalled failure (a `NULL` plan or a zero status).
///
/// `errno` is cleared first so that a stale value from an earlier, unrelated
/// call is never reported as the reason a wisdom file could not be opened.
@discardableResult
func fftwCall<Result>(
    _ operation: FFTError.Operation, _ call: () -> Result?
) throws(FFTError) -> Result {
    errno = 0
    if let result = call() { return result }
    throw FFTError(failed: operation, osError: errno)
}
