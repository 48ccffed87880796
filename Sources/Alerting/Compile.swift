extension Condition {
    /// The evaluable form. Nested `all`/`any` are flattened, double `not`
    /// removed, region tests moved after scalar ones, small `in` lists turned
    /// into direct comparisons (cheaper than hashing for a few values).
    func compiled() -> CompiledCondition {
        switch self {
        case .all(let cs):
            let flat = cs.map { $0.compiled() }.flatMap { c -> [CompiledCondition] in
                if case .all(let inner) = c { return inner }
                return [c]
            }
            return flat.count == 1 ? flat[0] : .all(Condition.regionsLast(flat))
        case .any(let cs):
            let flat = cs.map { $0.compiled() }.flatMap { c -> [CompiledCondition] in
                if case .any(let inner) = c { return inner }
                return [c]
            }
            return flat.count == 1 ? flat[0] : .any(Condition.regionsLast(flat))
        case .not(let c):
            if case .not(let inner) = c { return inner.compiled() }
            return .not(c.compiled())
        case .compare(let f, let op, let v): return Condition.leaf(f, op, v)
        case .cone(let c): return .cone(c)
        case .watchlist(let cs): return .watchlist(Watchlist(cs))
        }
    }

    private static func regionsLast(_ cs: [CompiledCondition]) -> [CompiledCondition] {
        cs.filter { !$0.isRegion } + cs.filter(\.isRegion)
    }

    /// A leaf; the parser guarantees the value's type fits the field and operator.
    private static func leaf(_ f: SubjectField, _ op: ComparisonOperator, _ v: ConditionValue) -> CompiledCondition {
        if op == .exists, case .bool(let b) = v { return .exists(f, b) }
        switch v {
        case .number(let d):
            let nop: NumberOp =
                switch op {
                case .ne: .ne
                case .lt: .lt
                case .lte: .lte
                case .gt: .gt
                case .gte: .gte
                default: .eq
                }
            return .number(NumberField(f)!, nop, d)
        case .numbers(let ds): return .numberIn(ds, NumberField(f)!, negated: op == .notIn)
        case .string(let s): return .string(StringField(f)!, s, negated: op == .ne)
        case .strings(let ss):
            let sf = StringField(f)!
            if ss.count > 4 { return .stringSet(Set(ss), sf, negated: op == .notIn) }
            // A missing field fails both forms, as the leaf semantics require.
            if op == .notIn { return .all(ss.map { .string(sf, $0, negated: true) }) }
            return ss.count == 1 ? .string(sf, ss[0], negated: false) : .any(ss.map { .string(sf, $0, negated: false) })
        case .bool(let b):
            let field: BoolField = f == .isAnomaly ? .isAnomaly : .isDetection
            return .bool(field, op == .ne ? !b : b)
        case .severity(let s): return .severity(mask: severityMask(op, [s]))
        case .severities(let ss): return .severity(mask: severityMask(op, ss))
        }
    }

    /// Bit `rank` set for every severity the operator accepts.
    private static func severityMask(_ op: ComparisonOperator, _ ss: [AlertSeverity]) -> Int {
        let all = 0b1111
        let listed = ss.reduce(0) { $0 | 1 << $1.rank }
        switch op {
        case .ne, .notIn: return all & ~listed
        case .atLeast: return AlertSeverity.allCases.filter { $0 >= ss[0] }.reduce(0) { $0 | 1 << $1.rank }
        case .atMost: return AlertSeverity.allCases.filter { $0 <= ss[0] }.reduce(0) { $0 | 1 << $1.rank }
        default: return listed
        }
    }
}
