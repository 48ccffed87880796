import Differencing
import Evaluation
import Foundation
import Imaging
import Scoring

/// One candidate of a simulated night with what its truth says it is.
public struct LabelledCandidate: Sendable {
    /// Image path as the truth names it (`science/NOC-F00-E03.fits`), and its field.
    public var image: String, field: String
    public var ra: Double, dec: Double
    public var input: CandidateInput
    /// nil for a candidate the truth cannot call (near an injected change
    /// below the truth's S/N limit, or of the wrong sign): it trains nothing.
    public var label: TrainingLabel?
    /// What it is: an injected kind (transient, supernova_like, variable,
    /// moving) or a false cause (cosmic_ray, hot_pixel, bad_column,
    /// satellite_trail, bright_star, galaxy, near_faint_injected, unexplained).
    public var kind: String
    /// The truth's expected S/N of a matched injected change.
    public var expectedSNR: Double?
}

/// A simulated night put through the imaging core in process and labelled
/// by its truth: the training and test sets of the real/bogus classifier,
/// and the held-out night of the scoring benchmark.
public struct LabelledNight: Sendable {
    public var candidates: [LabelledCandidate]
    /// The per-image truth comparison (completeness, missed changes).
    public var score: NightScore
    /// Science images processed.
    public var images: Int { score.images.count }

    /// Processes every science image of the night folder (written by
    /// `nocturne simulate`) against its field's reference.
    /// - Parameter progress: called after each image with its name and count.
    public static func process(_ folder: URL, pipeline: DifferencePipeline = DifferencePipeline(),
                               progress: (String, Int) -> Void = { _, _ in }) throws -> LabelledNight {
        let truth = try NightTruth.load(folder)
        var candidates: [LabelledCandidate] = []
        var scores: [ImageScore] = []
        for field in truth.sources.keys.sorted() {
            let reference = try pipeline.prepareReference(
                try Exposure.load(folder.appendingPathComponent("reference/\(field)-REF.fits")))
            let sources = try NightSources.positions(truth.sources[field] ?? [], in: reference)
            for image in truth.entries.keys.filter({ $0.hasPrefix("science/\(field)-") }).sorted() {
                let result = try pipeline.run(try Exposure.load(folder.appendingPathComponent(image)), against: reference)
                let score = Scorer.score(
                    candidates: result.extraction.candidates, image: image, truth: truth.entries[image] ?? [],
                    sources: sources, referenceToScience: result.registration.referenceToScience,
                    seeing: result.alignedPSF.fwhm, inFootprint: { NightSources.inFootprint($0, mask: result.zogy.mask) })
                scores.append(score)
                candidates += labelled(score, field: field)
                progress(image, result.extraction.candidates.count)
            }
        }
        return LabelledNight(candidates: candidates, score: NightScore(images: scores))
    }

    /// The image's candidates with their labels, in extraction order.
    static func labelled(_ score: ImageScore, field: String) -> [LabelledCandidate] {
        var rows: [(Int, LabelledCandidate)] = []
        var matched = Set<Int>()
        for m in score.matches where matched.insert(m.candidate.index).inserted {
            rows.append((m.candidate.index, LabelledCandidate(
                image: score.image, field: field, ra: m.candidate.ra, dec: m.candidate.dec, input: CandidateInput(m.candidate),
                label: .real, kind: m.truth.kind, expectedSNR: m.truth.expectedSNR)))
        }
        for (c, cause) in score.falseCandidates {
            rows.append((c.index, LabelledCandidate(
                image: score.image, field: field, ra: c.ra, dec: c.dec, input: CandidateInput(c), label: label(cause),
                kind: cause.rawValue, expectedSNR: nil)))
        }
        return rows.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The training label a false candidate's cause implies.
    static func label(_ cause: FalseCause) -> TrainingLabel? {
        switch cause {
        case .cosmicRay, .hotPixel, .badColumn, .satelliteTrail: .artifact
        case .brightStar, .galaxy, .unexplained: .bogus
        case .injectedBelowLimit: nil
        }
    }
}
