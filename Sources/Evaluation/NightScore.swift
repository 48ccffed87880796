import Foundation

/// A night's quality figures from its images' scores: completeness by S/N
/// bin per kind of change, false candidates per image by cause, astrometric
/// offsets and flux pulls.
public struct NightScore: Sendable {
    /// S/N bin edges; the last bin is open.
    public static let binEdges: [Double] = [3, 5, 10, 20, 50, 100]
    /// The kinds reported separately, with the truth kinds each groups.
    public static let groups: [(name: String, kinds: Set<String>)] = [
        ("transients", ["transient", "supernova_like"]), ("variables", ["variable"]), ("moving", ["moving"]),
    ]

    public let images: [ImageScore]

    public init(images: [ImageScore]) {
        self.images = images
    }

    /// Found / expected for `group` in each S/N bin (bins with nothing expected are nil).
    public func completeness(_ group: Set<String>) -> [(found: Int, total: Int)] {
        var found = [Int](repeating: 0, count: Self.binEdges.count), total = found
        for image in images {
            for m in image.matches where group.contains(m.truth.kind) {
                if let b = Self.bin(m.truth.expectedSNR) { found[b] += 1; total[b] += 1 }
            }
            for e in image.missed where group.contains(e.kind) {
                if let b = Self.bin(e.expectedSNR) { total[b] += 1 }
            }
        }
        return zip(found, total).map { ($0, $1) }
    }

    /// Completeness of `group` over everything expected at S/N ≥ `snr`.
    public func completeness(_ group: Set<String>, atLeast snr: Double) -> (found: Int, total: Int) {
        var found = 0, total = 0
        for image in images {
            found += image.matches.filter { group.contains($0.truth.kind) && ($0.truth.expectedSNR ?? 0) >= snr }.count
            total += image.matches.filter { group.contains($0.truth.kind) && ($0.truth.expectedSNR ?? 0) >= snr }.count
            total += image.missed.filter { group.contains($0.kind) && ($0.expectedSNR ?? 0) >= snr }.count
        }
        return (found, total)
    }

    /// False candidates per image, in total and by cause.
    public var falsePerImage: Double {
        Double(images.map(\.falseCandidates.count).reduce(0, +)) / Double(max(1, images.count))
    }

    public var falseByCause: [(FalseCause, Double)] {
        FalseCause.allCases.map { cause in
            let n = images.map { $0.falseCandidates.filter { $0.cause == cause }.count }.reduce(0, +)
            return (cause, Double(n) / Double(max(1, images.count)))
        }
    }

    /// Median candidate–truth offset (reference pixels) of matches at S/N ≥ 10.
    public var medianOffset: Double {
        median(images.flatMap(\.matches).filter { ($0.truth.expectedSNR ?? 0) >= 10 }.map(\.offset))
    }

    /// The flux pulls at S/N ≥ 10, blends left out: median, robust width
    /// (interquartile range / 1.349, which is σ for a Gaussian) and standard
    /// deviation. A unit width says the errors are right.
    public var pulls: (median: Double, robustWidth: Double, std: Double, count: Int) {
        let values = images.flatMap(\.matches)
            .filter { ($0.truth.expectedSNR ?? 0) >= 10 && $0.pull.isFinite && !$0.isBlend }.map(\.pull).sorted()
        guard values.count > 3 else { return (.nan, .nan, .nan, values.count) }
        let n = values.count
        let mean = values.reduce(0, +) / Double(n)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
        return (values[n / 2], (values[3 * n / 4] - values[n / 4]) / 1.349, variance.squareRoot(), n)
    }

    /// Injected changes found only as part of a blend with another.
    public var blends: Int { images.flatMap(\.matches).filter(\.isBlend).count }

    static func bin(_ snr: Double?) -> Int? {
        guard let snr, snr >= binEdges[0] else { return nil }
        return (binEdges.lastIndex { snr >= $0 })
    }

    private func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

extension NightScore {
    /// The quality report as plain-text tables.
    public func report() -> String {
        var lines: [String] = []
        let labels = Self.binEdges.indices.map { i in
            i + 1 < Self.binEdges.count ? String(format: "%g–%g", Self.binEdges[i], Self.binEdges[i + 1])
                : String(format: "≥%g", Self.binEdges[i])
        }
        lines.append("completeness by expected S/N (found/expected):")
        lines.append(pad("kind", 12) + labels.map { pad($0, 13) }.joined() + "  S/N≥10")
        for group in Self.groups {
            let cells = completeness(group.kinds).map { $0.total == 0 ? "-" : String(format: "%.2f (%d/%d)", Double($0.found) / Double($0.total), $0.found, $0.total) }
            let overall = completeness(group.kinds, atLeast: 10)
            let summary = overall.total == 0 ? "-" : String(format: "%.3f (%d/%d)", Double(overall.found) / Double(overall.total), overall.found, overall.total)
            lines.append(pad(group.name, 12) + cells.map { pad($0, 13) }.joined() + "  " + summary)
        }
        lines.append(String(format: "false candidates per image: %.1f", falsePerImage))
        lines.append("  by cause: " + falseByCause.filter { $0.1 > 0 }.map { String(format: "%@ %.1f", $0.0.rawValue, $0.1) }.joined(separator: ", "))
        let p = pulls
        lines.append(String(format: "median astrometric offset (S/N ≥ 10): %.3f px", medianOffset))
        lines.append(String(format: "flux pulls (S/N ≥ 10, %d, blends left out): median %.2f, robust width %.2f, std %.2f",
                            p.count, p.median, p.robustWidth, p.std))
        lines.append("injected changes found as blends with a neighbour closer than the seeing: \(blends)")
        let outside = images.map(\.outsideFootprint.count).reduce(0, +)
        lines.append("injected changes outside the usable footprint (off the overlap; not counted): \(outside)")
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
