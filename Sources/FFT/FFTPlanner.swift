import Synchronization

/// Makes and caches FFTW plans so that images of a size already seen never
/// re-plan.
///
/// The cache is keyed by (width, height, direction, threads); the rigor is a
/// property of the planner, so every plan one planner holds was made the same
/// way. Plans live as long as the planner or any ``FFTPlan`` it handed out.
///
/// Thread-safe: lookups take a per-planner lock; a miss plans under the
/// process-wide FFTW planner lock (FFTW's planner is not thread-safe), so two
/// tasks asking for the same new size plan it once.
public final class FFTPlanner: Sendable {
    /// Counters for the cache, mainly for tests and diagnostics.
    public struct Statistics: Sendable, Equatable {
        /// FFTW plans this planner has created (one per size and direction).
        public var plansCreated = 0
        /// Requests for one direction of a size answered from the cache.
        public var cacheHits = 0

        /// Counters with the given values, for comparing in tests.
        public init(plansCreated: Int = 0, cacheHits: Int = 0) {
            self.plansCreated = plansCreated
            self.cacheHits = cacheHits
        }
    }

    private struct Cache: Sendable {
        var plans: [FFTPlanKey: FFTWPlan] = [:]
        var statistics = Statistics()
    }

    /// How thoroughly new sizes are planned.
    public let rigor: FFTRigor
    /// Threads each transform may use; 1 means FFTW's threads library is
    /// never started by this planner.
    public let threads: Int
    private let cache = Mutex(Cache())

    /// A planner with an empty cache.
    ///
    /// - Parameters:
    ///   - rigor: planning effort for every size this planner sees.
    ///   - threads: threads per transform, at least 1. More threads help only
    ///     for large images; tasks running transforms side by side are often the
    ///     better use of cores.
    public init(rigor: FFTRigor = .measure, threads: Int = 1) {
        precondition(threads >= 1, "FFT thread count must be at least 1, got \(threads)")
        self.rigor = rigor
        self.threads = threads
    }

    /// A process-wide planner with one thread, for callers that have no
    /// reason to keep their own cache: ``FFTRigor/measure``, or the rigor
    /// named by `NOCTURNE_FFT_RIGOR` (`estimate`, `measure`, `patient`).
    /// Replays set `estimate`: MEASURE times candidate algorithms and may
    /// pick a different one each process, which changes results in the
    /// last bits; ESTIMATE chooses by rule, the same plan every time.
    public static let shared = FFTPlanner(rigor: FFTRigor.fromEnvironment() ?? .measure)

    /// The forward and inverse plans for a `width` × `height` image (pixels;
    /// `width` is NAXIS1), from the cache or planned now.
    ///
    /// - Throws: ``FFTError`` for a non-positive size, or when FFTW cannot plan
    ///   it (for ``FFTRigor/wisdomOnly``: when no wisdom covers it).
    public func plan(width: Int, height: Int) throws -> FFTPlan {
        guard width >= 1, height >= 1, width <= Int32.max, height <= Int32.max else {
            throw FFTError.invalidSize(width: width, height: height)
        }
        let forward = try plan(for: key(width, height, .forward))
        let inverse = try plan(for: key(width, height, .inverse))
        return FFTPlan(forwardPlan: forward, inversePlan: inverse)
    }

    /// The cache counters so far.
    public var statistics: Statistics { cache.withLock { $0.statistics } }

    /// One direction of one size, planned at most once per planner.
    func plan(for key: FFTPlanKey) throws(FFTError) -> FFTWPlan {
        if let hit = cachedPlan(key) { return hit }
        let rigor = rigor
        return try FFTWPlannerLock.withLock { (state) throws(FFTError) -> FFTWPlan in
            // Another task may have planned this key while we waited for the lock.
            if let hit = cachedPlan(key) { return hit }
            let plan = try FFTWPlan(key: key, rigor: rigor, locked: &state)
            // Inserting a new key drops no plan, so no plan's deinit (which takes
            // the planner lock) can run while we hold it.
            cache.withLock {
                $0.plans[key] = plan
                $0.statistics.plansCreated += 1
            }
            return plan
        }
    }

    private func cachedPlan(_ key: FFTPlanKey) -> FFTWPlan? {
        cache.withLock { cache in
            guard let plan = cache.plans[key] else { return nil }
            cache.statistics.cacheHits += 1
            return plan
        }
    }

    private func key(_ width: Int, _ height: Int, _ direction: FFTDirection) -> FFTPlanKey {
        FFTPlanKey(width: width, height: height, direction: direction, threads: threads)
    }
}
