/// Times planning and transforms of a square image, for the CLI's
/// "FFT 2048² time" line.
///
/// Not a test: it allocates tens of megabytes and can take seconds. Planning
/// time depends on wisdom already in the process (an earlier run of the same
/// size makes it nearly free) and is reported as measured, not corrected.
public enum FFTBenchmark {
    /// Timings of one run. Transform times are means over the repetitions.
    public struct Result: Sendable, CustomStringConvertible {
        /// Side of the square image, in pixels.
        public var size: Int
        /// Planning rigor used for both directions.
        public var rigor: FFTRigor
        /// Threads per transform.
        public var threads: Int
        /// Transforms timed in each direction.
        public var repetitions: Int
        /// Wall-clock time to plan the forward transform.
        public var forwardPlanTime: Duration
        /// Wall-clock time to plan the inverse transform.
        public var inversePlanTime: Duration
        /// Mean wall-clock time of one forward transform, including copying
        /// the result into a new ``Spectrum``.
        public var forwardTime: Duration
        /// Mean wall-clock time of one inverse transform, including the copy
        /// FFTW's destroyed input forces and the normalisation.
        public var inverseTime: Duration

        /// One line for the CLI, e.g. `FFT 2048²: plan 0.36 s forward + …`.
        public var description: String {
            "FFT \(size)²: plan \(Self.format(forwardPlanTime)) forward + "
                + "\(Self.format(inversePlanTime)) inverse (\(rigor), \(threads) thread"
                + "\(threads == 1 ? "" : "s")); per transform \(Self.format(forwardTime)) forward, "
                + "\(Self.format(inverseTime)) inverse (mean of \(repetitions))"
        }

        /// Milliseconds with one decimal, or seconds with two past one second.
        static func format(_ duration: Duration) -> String {
            let (seconds, attoseconds) = duration.components
            let value = Double(seconds) + Double(attoseconds) * 1e-18
            if value >= 1 { return "\(Double(Int((value * 100).rounded())) / 100) s" }
            return "\(Double(Int((value * 10_000).rounded())) / 10) ms"
        }
    }

    /// Plans a `size` × `size` transform on a fresh planner (no cached plans,
    /// but any wisdom in the process is used), then runs `repetitions` forward
    /// and inverse transforms of a fixed pseudo-random image.
    public static func run(
        size: Int = 2048, repetitions: Int = 5, rigor: FFTRigor = .measure, threads: Int = 1
    ) throws -> Result {
        precondition(repetitions >= 1, "need at least one repetition")
        guard size >= 1, size <= Int32.max else { throw FFTError.invalidSize(width: size, height: size) }
        let planner = FFTPlanner(rigor: rigor, threads: threads)
        let clock = ContinuousClock()
        let forwardKey = FFTPlanKey(width: size, height: size, direction: .forward, threads: threads)
        let inverseKey = FFTPlanKey(width: size, height: size, direction: .inverse, threads: threads)
        let forwardPlanTime = try clock.measure { _ = try planner.plan(for: forwardKey) }
        let inversePlanTime = try clock.measure { _ = try planner.plan(for: inverseKey) }
        let plan = try planner.plan(width: size, height: size)

        let image = noise(size: size)
        var spectrum = plan.forward(image)
        let forwardTime = clock.measure {
            for _ in 0..<repetitions { spectrum = plan.forward(image) }
        }
        var checksum: Float = 0
        let inverseTime = clock.measure {
            // Passing a shared spectrum charges each inverse the copy that a
            // pipeline reusing its spectrum would pay.
            for _ in 0..<repetitions { checksum += plan.inverse(spectrum).pixels[0] }
        }
        precondition(checksum.isFinite, "FFT benchmark produced a non-finite pixel")
        return Result(
            size: size, rigor: rigor, threads: threads, repetitions: repetitions,
            forwardPlanTime: forwardPlanTime, inversePlanTime: inversePlanTime,
            forwardTime: forwardTime / repetitions, inverseTime: inverseTime / repetitions)
    }

    /// A deterministic image in [-1, 1) so runs are comparable.
    private static func noise(size: Int) -> Image<Float> {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let pixels = (0..<size * size).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 23) - 1
        }
        return Image(width: size, height: size, pixels: pixels)
    }
}
