import Storage

/// Turns the matches of one probe batch into output batches for every join kind, and remembers which
/// build rows matched (for RIGHT / FULL joins). Shared by the hash and nested-loop joins.
final class JoinEmitter {
    let kind: PhysicalJoinKind
    let nullAware: Bool
    let leftTypes: [DataType]
    let rightTypes: [DataType]
    private(set) var build: Batch
    private var buildMatched: [Bool]

    init(kind: PhysicalJoinKind, nullAware: Bool, leftTypes: [DataType], rightTypes: [DataType], build: Batch) {
        self.kind = kind
        self.nullAware = nullAware
        self.leftTypes = leftTypes
        self.rightTypes = rightTypes
        self.build = build
        buildMatched = [Bool](repeating: false, count: build.count)
    }

    /// Output types of a join of this kind.
    static func outputTypes(_ kind: PhysicalJoinKind, _ left: [DataType], _ right: [DataType]) -> [DataType] {
        switch kind {
        case .inner, .left, .right, .full: return left + right
        case .semi, .anti: return left
        case .rightSemi, .rightAnti: return right
        case .mark: return left + [.boolean]
        }
    }

    /// - Parameters:
    ///   - pairs: matching (probe row, build row) pairs, grouped by probe row in probe order.
    ///   - unknown: per probe row, whether an unmatched row compared with NULL (IN / NOT IN semantics).
    func emit(probe: Batch, pairProbe: [Int32], pairBuild: [Int32], unknown: [Bool]) -> [Batch] {
        let n = probe.count
        var matched = [Bool](repeating: false, count: n)
        for p in pairProbe { matched[Int(p)] = true }
        if tracksBuildRows { for b in pairBuild { buildMatched[Int(b)] = true } }
        switch kind {
        case .rightSemi, .rightAnti:
            return []
        case .inner, .right:
            return combine(probe, pairProbe, pairBuild)
        case .left, .full:
            var lp = pairProbe, rb = pairBuild
            for i in 0..<n where !matched[i] { lp.append(Int32(i)); rb.append(-1) }
            return combine(probe, lp, rb)
        case .semi:
            let rows = (0..<n).filter { matched[$0] }.map { Int32($0) }
            return rows.isEmpty ? [] : ColumnAssembly.split(probe.gather(rows))
        case .anti:
            let rows = (0..<n).filter { !matched[$0] && !(nullAware && unknown[$0]) }.map { Int32($0) }
            return rows.isEmpty ? [] : ColumnAssembly.split(rows.count == n ? probe : probe.gather(rows))
        case .mark:
            var values = [Bool](repeating: false, count: n)
            var validity = [UInt8](repeating: 1, count: n)
            var anyNull = false
            for i in 0..<n {
                if matched[i] { values[i] = true } else if unknown[i] { validity[i] = 0; anyNull = true }
            }
            var cols = probe.columns
            cols.append(Column(type: .boolean, data: .bool(values), validity: anyNull ? validity : nil))
            return [Batch(columns: cols, count: n)]
        }
    }

    private var tracksBuildRows: Bool { kind == .right || kind == .full || kind == .rightSemi || kind == .rightAnti }

    /// Rows emitted after the probe: build rows no probe row matched, with NULL left columns (RIGHT / FULL
    /// joins); the build rows that matched (right semi) or did not (right anti), build columns only.
    func unmatchedBuildRows() -> [Batch] {
        guard tracksBuildRows else { return [] }
        if kind == .rightSemi || kind == .rightAnti {
            let wanted = kind == .rightSemi
            let rows = (0..<build.count).filter { buildMatched[$0] == wanted }.map { Int32($0) }
            if rows.isEmpty { return [] }
            return ColumnAssembly.split(rows.count == build.count ? build : build.gather(rows))
        }
        let rows = (0..<build.count).filter { !buildMatched[$0] }.map { Int32($0) }
        if rows.isEmpty { return [] }
        let left = leftTypes.map { Column.nulls($0, count: rows.count) }
        let right = build.columns.map { $0.gather(rows) }
        return ColumnAssembly.split(Batch(columns: left + right, count: rows.count))
    }

    private func combine(_ probe: Batch, _ lp: [Int32], _ rb: [Int32]) -> [Batch] {
        var out: [Batch] = []
        var lo = 0
        let size = Batch.defaultSize * 2
        while lo < lp.count {
            let hi = min(lo + size, lp.count)
            let li = Array(lp[lo..<hi]), ri = Array(rb[lo..<hi])
            let left = probe.columns.map { ColumnAssembly.gatherOptional($0, li) }
            let right = build.columns.map { ColumnAssembly.gatherOptional($0, ri) }
            out.append(Batch(columns: left + right, count: hi - lo))
            lo = hi
        }
        return out
    }
}
