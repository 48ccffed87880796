import Foundation
import CFFTW

/// How hard FFTW searches for a fast algorithm when it plans a size.
///
/// Planning happens once per (size, direction, threads) per ``FFTPlanner``, so
/// a slow rigor is paid once and every later transform of that size benefits.
/// Rough costs for 2048² on one core: estimate is instant; measure takes about
/// a second per direction; patient takes many seconds. Wisdom (``FFTWisdom``)
/// already in the process makes any rigor nearly free for the sizes it covers.
public enum FFTRigor: Sendable, Hashable, CustomStringConvertible {
    /// Pick an algorithm from heuristics without running anything.
    case estimate
    /// Time a range of algorithms and keep the fastest (`FFTW_MEASURE`).
    case measure
    /// Time a wider range of algorithms (`FFTW_PATIENT`).
    case patient
    /// Plan only from wisdom already imported or accumulated; planning throws
    /// an error with ``FFTError/isMissingWisdom`` when there is none. Any wisdom
    /// suffices, whatever rigor produced it.
    case wisdomOnly

    /// FFTW planner flags, without the input-preservation flag.
    var plannerFlags: UInt32 {
        switch self {
        case .estimate: nocturne_fftw_estimate()
        case .measure: nocturne_fftw_measure()
        case .patient: nocturne_fftw_patient()
        // Combined with ESTIMATE so that wisdom made at any rigor is accepted;
        // WISDOM_ONLY alone would demand MEASURE-or-better wisdom.
        case .wisdomOnly: nocturne_fftw_wisdom_only() | nocturne_fftw_estimate()
        }
    }

    /// The rigor's name, as printed in errors and benchmark lines.
    public var description: String {
        switch self {
        case .estimate: "estimate"
        case .measure: "measure"
        case .patient: "patient"
        case .wisdomOnly: "wisdom-only"
        }
    }
}

/// Which way a plan transforms: image to spectrum, or back.
enum FFTDirection: Sendable, Hashable, CustomStringConvertible {
    case forward
    case inverse

    var description: String { self == .forward ? "forward" : "inverse" }
}

extension FFTRigor {
    /// The rigor `NOCTURNE_FFT_RIGOR` names, or nil when unset or unknown.
    static func fromEnvironment() -> FFTRigor? {
        switch ProcessInfo.processInfo.environment["NOCTURNE_FFT_RIGOR"]?.lowercased() {
        case "estimate": .estimate
        case "measure": .measure
        case "patient": .patient
        default: nil
        }
    }
}
