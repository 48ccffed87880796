import Foundation

/// Earlier matches of rules, so a rule with `repeat` can ask "how many times
/// did I match near here recently?". The alert stage may back this with the
/// database; ``InMemoryMatchHistory`` keeps it in memory.
///
/// Implementations are used by one owner at a time (no locking is implied).
public protocol MatchHistory: AnyObject {
    /// Records that `subjectID` satisfied `rule`'s `when` at a position
    /// (degrees) and observation time. Recording the same rule and subject
    /// again must not count twice (replays happen).
    func record(rule: String, subjectID: String, ra: Double, dec: Double, time: Date)

    /// How many recorded matches of `rule` lie within `radiusArcsec` of the
    /// position (degrees, great-circle) with `since <= time <= until`.
    func count(rule: String, ra: Double, dec: Double, radiusArcsec: Double, since: Date, until: Date) -> Int
}

/// Matches kept in memory, per rule, in a sky grid so that a count looks at
/// a few cells rather than every match. Not thread-safe: one owner.
///
/// Memory grows with matches of `repeat` rules only; call ``prune(before:)``
/// with the oldest time any window can reach (e.g. now − longest window).
public final class InMemoryMatchHistory: MatchHistory {
    private struct Entry {
        var subjectID: String
        var time: Date
    }

    private let cellArcsec: Double
    private var grids: [String: SkyGrid<Entry>] = [:]
    /// Per rule, the subjects already recorded (and when), to ignore replays.
    private var seen: [String: [String: Date]] = [:]

    /// `cellArcsec`: grid cell size, arcseconds; about the usual `repeat` radius or larger.
    public init(cellArcsec: Double = 30) {
        self.cellArcsec = cellArcsec
    }

    /// Matches currently held, all rules together.
    public var count: Int { grids.values.reduce(0) { $0 + $1.count } }

    /// Records a match (ignored if this rule already recorded this subject).
    public func record(rule: String, subjectID: String, ra: Double, dec: Double, time: Date) {
        guard seen[rule, default: [:]].updateValue(time, forKey: subjectID) == nil else { return }
        grids[rule, default: SkyGrid(cellArcsec: cellArcsec)].insert(
            ra: ra, dec: dec, value: Entry(subjectID: subjectID, time: time))
    }

    /// Counts matches within the cone and time range (inclusive), looking only at nearby grid cells.
    public func count(rule: String, ra: Double, dec: Double, radiusArcsec: Double, since: Date, until: Date) -> Int {
        guard let grid = grids[rule] else { return 0 }
        let centre = SkyVector(ra: ra, dec: dec)
        let limit = Sky.chord2(radiusArcsec: radiusArcsec)
        var n = 0
        grid.forEachCandidate(ra: ra, dec: dec, radiusArcsec: radiusArcsec) { item in
            if item.value.time >= since, item.value.time <= until, item.vector.chord2(centre) <= limit { n += 1 }
        }
        return n
    }

    /// Forgets matches observed before `time`.
    public func prune(before time: Date) {
        for rule in grids.keys {
            grids[rule]!.removeAll { $0.time < time }
            seen[rule] = seen[rule]?.filter { $0.value >= time }
            if grids[rule]!.count == 0 {
                grids[rule] = nil
                seen[rule] = nil
            }
        }
    }
}
