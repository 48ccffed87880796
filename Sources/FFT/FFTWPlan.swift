import CFFTW
import Synchronization

/// Identifies one FFTW plan in an ``FFTPlanner``'s cache.
struct FFTPlanKey: Sendable, Hashable {
    var width: Int
    var height: Int
    var direction: FFTDirection
    var threads: Int
}

/// FFTW's planner is global, unsynchronised state: planning, destroying plans,
/// setting the thread count and touching wisdom all go through this one lock.
/// Executing a plan with the new-array functions does not need it.
enum FFTWPlannerLock {
    struct State: Sendable {
        var threadsInitialised = false
    }

    private static let state = Mutex(State())

    static func withLock<Result: Sendable>(
        _ body: (inout State) throws(FFTError) -> Result
    ) throws(FFTError) -> Result {
        try state.withLock { (state: inout State) throws(FFTError) -> Result in try body(&state) }
    }
}

/// One FFTW plan, destroyed under the planner lock when the last user lets go.
///
/// Sendable because FFTW documents `fftwf_execute_dft_r2c`/`_c2r` on a shared
/// plan as thread-safe, provided each call passes its own arrays.
final class FFTWPlan: @unchecked Sendable {
    let key: FFTPlanKey
    private let handle: OpaquePointer

    /// Plans `key` with `rigor`. Must be called with the planner lock held.
    ///
    /// MEASURE and PATIENT planning scribble over the arrays they are given, so
    /// FFTW plans on scratch arrays here and never sees caller data; the scratch
    /// is freed at once because execution always passes fresh arrays.
    init(key: FFTPlanKey, rigor: FFTRigor, locked state: inout FFTWPlannerLock.State) throws(FFTError) {
        try Self.setThreads(key.threads, state: &state)
        let (width, height) = (key.width, key.height)
        let real = AlignedFloats(count: width * height)
        let complex = AlignedFloats(count: 2 * height * (width / 2 + 1))
        let operation = FFTError.Operation.plan(
            width: width, height: height, direction: key.direction, rigor: rigor, threads: key.threads)
        let n0 = Int32(height), n1 = Int32(width)
        handle = try complex.base.withMemoryRebound(
            to: fftwf_complex.self, capacity: complex.count / 2
        ) { (spectrum) throws(FFTError) -> OpaquePointer in
            switch key.direction {
            case .forward:
                // r2c preserves its input by default; asking explicitly documents
                // that forward() may run on the caller's pixels in place.
                let flags = rigor.plannerFlags | nocturne_fftw_preserve_input()
                return try fftwCall(operation) { fftwf_plan_dft_r2c_2d(n0, n1, real.base, spectrum, flags) }
            case .inverse:
                // Multi-dimensional c2r has no input-preserving algorithm, so
                // inverse() always hands FFTW a spectrum it may destroy.
                let flags = rigor.plannerFlags | nocturne_fftw_destroy_input()
                return try fftwCall(operation) { fftwf_plan_dft_c2r_2d(n0, n1, spectrum, real.base, flags) }
            }
        }
        self.key = key
    }

    deinit {
        let handle = handle
        try? FFTWPlannerLock.withLock { _ in fftwf_destroy_plan(handle) }
    }

    /// Forward transform; `real` holds width × height floats, `spectrum`
    /// 2 × height × (width/2 + 1), both with FFTW alignment. Reads `real` only.
    func executeForward(real: UnsafeMutablePointer<Float>, spectrum: UnsafeMutablePointer<Float>) {
        precondition(key.direction == .forward)
        spectrum.withMemoryRebound(to: fftwf_complex.self, capacity: spectrumCount) {
            fftwf_execute_dft_r2c(handle, real, $0)
        }
    }

    /// Inverse transform, unnormalised. Destroys `spectrum`.
    func executeInverse(spectrum: UnsafeMutablePointer<Float>, real: UnsafeMutablePointer<Float>) {
        precondition(key.direction == .inverse)
        spectrum.withMemoryRebound(to: fftwf_complex.self, capacity: spectrumCount) {
            fftwf_execute_dft_c2r(handle, $0, real)
        }
    }

    private var spectrumCount: Int { key.height * (key.width / 2 + 1) }

    /// FFTW's thread count is a planner global, so it is set under the lock
    /// right before every plan once the threads library is up. The library is
    /// started only when someone first asks for more than one thread.
    private static func setThreads(_ threads: Int, state: inout FFTWPlannerLock.State) throws(FFTError) {
        if threads > 1 && !state.threadsInitialised {
            try fftwCall(.initThreads) { fftwf_init_threads() != 0 ? () : nil }
            state.threadsInitialised = true
        }
        if state.threadsInitialised { fftwf_plan_with_nthreads(Int32(threads)) }
    }
}
