import Testing
@testable import Imaging

@Suite struct RobustStatisticsTests {
    @Test(arguments: [1, 2, 5, 6, 101, 1000])
    func medianMatchesSorting(count: Int) {
        var random = SeededRandom(seed: UInt64(count))
        var values = (0..<count).map { _ in Float(random.uniform(-100, 100)) }
        let sorted = values.sorted()
        let expected = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
        #expect(RobustStatistics.medianInPlace(&values) == expected)
    }

    @Test func medianOfManyTiesIsTheTie() {
        var values = [Float](repeating: 3, count: 50) + [1, 9]
        #expect(RobustStatistics.medianInPlace(&values) == 3)
    }

    @Test func sigmaClipIgnoresOutliers() {
        var random = SeededRandom(seed: 7)
        var values = (0..<5000).map { _ in Float(random.normal(mean: 100, sigma: 5)) }
        values += [Float](repeating: 10_000, count: 200)   // a bright star in the cell
        let stats = RobustStatistics.sigmaClip(&values)
        #expect(abs(stats.median - 100) < 0.3)
        #expect(abs(stats.standardDeviation - 5) < 0.3)
        #expect(stats.count < 5000)
        #expect(abs(stats.mode - 100) < 0.5)
    }

    @Test func gaussianAndPoissonDeviatesHaveTheirMoments() {
        var random = SeededRandom(seed: 11)
        let n = 20_000
        let normals = (0..<n).map { _ in random.normal() }
        let mean = normals.reduce(0, +) / Double(n)
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.04)
        for lambda in [3.0, 1000.0] {
            let samples = (0..<n).map { _ in random.poisson(lambda) }
            let m = samples.reduce(0, +) / Double(n)
            let v = samples.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(n)
            #expect(abs(m - lambda) < 4 * (lambda / Double(n)).squareRoot() + 0.5)
            #expect(abs(v / lambda - 1) < 0.05)
        }
    }

    @Test func sameSeedSameStream() {
        var a = SeededRandom(seed: 42, stream: 3)
        var b = SeededRandom(seed: 42, stream: 3)
        var c = SeededRandom(seed: 42, stream: 4)
        let sa = (0..<10).map { _ in a.next() }
        #expect(sa == (0..<10).map { _ in b.next() })
        #expect(sa != (0..<10).map { _ in c.next() })
    }
}
