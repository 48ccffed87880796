import FFT
import Foundation

/// FFTW wisdom kept in `.nocturne/fftw.wisdom` in the working folder: the
/// first run of a size pays FFTW's MEASURE planning (~0.4 s at 2048²), later
/// runs load the plan in a fraction of a millisecond.
enum WisdomCache {
    static var url: URL {
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent(".nocturne/fftw.wisdom")
    }

    /// Loads saved wisdom if there is any; a damaged file is ignored (FFTW
    /// then simply plans again).
    static func load() {
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        try? FFTWisdom.load(from: url.path)
    }

    /// Saves the process's wisdom for next time; failure to save only costs time.
    static func save() {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FFTWisdom.save(to: url.path)
    }
}
