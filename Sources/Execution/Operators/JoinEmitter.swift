import Storage

/// Turns the matches of one probe batch into output batches for every join kind, and remembers which
/// build rows matched (for RIGHT / FULL joins). Shared by the hash and nested-loop joins.
///
/// `emit` may run on several threads at once (the hash join probing morsels in parallel): it only reads the
/// build batch, and marks matched build rows with plain byte stores of 1 into a buffer allocated once.
final class JoinEmitter: @unchecked Sendable {
    let kind: PhysicalJoinKind
    let nullAware: Bool
    let leftTypes: [DataType]
    let rightTypes: [DataType]
    let build: Batch
    /// One byte per build row, 1 once a probe row matched it (only for kinds that track build rows).
    private let buildMatched: UnsafeMutableBufferPointer<UInt8>

    init(kind: PhysicalJoinKind, nullAware: Bool, leftTypes: [DataType], rightTypes: [DataType], build: Batch) {
        self.kind = kind
        self.nullAware = nullAware
        self.leftTypes = leftTypes
        self.rightTypes = rightTypes
        self.build = build
        let tracks = kind == .right || kind == .full || kind == .rightSemi || kind == .rightAnti
        buildMatched = .allocate(capacity: tracks ? max(build.count, 1) : 1)
        buildMatched.initialize(repeating: 0)
    }

    deinit { buildMatched.deallocate() }

    /// Output types of a join of this kind.
    static func outputTypes(_ kind: PhysicalJoinKind, _ left: [DataType], _ right: [DataType]) -> [DataType] {
        switch kind {
        case .inner, .left, .right, .full: return left + right
        case .semi, .anti: return left
        case .rightSemi, .rightAnti: return right
        case .mark: return left + [.boolean]
        case .count: return left + [.bigint]
        }
    }

    /// Whether an unmatched probe row's `unknown` flag changes the output (mark, NOT IN).
    var usesUnknown: Bool { kind == .mark || (kind == .anti && nullAware) }

    /// - Parameters:
    ///   - pairs: matching (probe row, build row) pairs, grouped by probe row in probe order.
    ///   - unknown: per probe row, whether an unmatched row compared with NULL (IN / NOT IN semantics).
    func emit(probe: Batch, pairProbe: [Int32], pairBuild: [Int32], unknown: [Bool]) -> [Batch] {
        emit(probe: probe, rows: 0..<probe.count, pairProbe: pairProbe, pairBuild: pairBuild, unknown: unknown)
    }

    /// Output for the probe rows `rows` (whose every match is in the pairs; pair indices are probe-batch rows).
    /// `unknown` is indexed by probe-batch row, or empty when `usesUnknown` is false.
    func emit(probe: Batch, rows: Range<Int>, pairProbe: [Int32], pairBuild: [Int32], unknown: [Bool]) -> [Batch] {
        if tracksBuildRows { for b in pairBuild { buildMatched[Int(b)] = 1 } }
        switch kind {
        case .rightSemi, .rightAnti:
            return []
        case .inner, .right:
            return combine(probe, pairProbe, pairBuild)
        default:
            break
        }
        let lo = rows.lowerBound
        var matched = [Bool](repeating: false, count: rows.count)
        for p in pairProbe { matched[Int(p) - lo] = true }
        if kind == .left || kind == .full {
            var lp = pairProbe, rb = pairBuild
            for k in 0..<rows.count where !matched[k] { lp.append(Int32(lo + k)); rb.append(-1) }
            return combine(probe, lp, rb)
        }
        return emitFlags(probe: probe, rows: rows, matched: matched, unknown: unknown)
    }

    /// Semi / anti / mark output from one matched flag per row of `rows` (no pairs needed).
    func emitFlags(probe: Batch, rows: Range<Int>, matched: [Bool], unknown: [Bool]) -> [Batch] {
        let lo = rows.lowerBound, m = rows.count
        let whole = lo == 0 && m == probe.count
        switch kind {
        case .semi, .anti:
            var keep: [Int32] = []
            keep.reserveCapacity(m)
            let wanted = kind == .semi
            for k in 0..<m where matched[k] == wanted {
                if !wanted && nullAware && unknown[lo + k] { continue }
                keep.append(Int32(lo + k))
            }
            if keep.isEmpty { return [] }
            return ColumnAssembly.split(whole && keep.count == m ? probe : probe.gather(keep))
        case .mark:
            var values = [Bool](repeating: false, count: m)
            var validity = [UInt8](repeating: 1, count: m)
            var anyNull = false
            for k in 0..<m {
                if matched[k] { values[k] = true } else if unknown[lo + k] { validity[k] = 0; anyNull = true }
            }
            var cols = whole ? probe.columns : probe.columns.map { $0.slice(rows) }
            cols.append(Column(type: .boolean, data: .bool(values), validity: anyNull ? validity : nil))
            return [Batch(columns: cols, count: m)]
        default:
            return []
        }
    }

    /// Counting join output: the probe rows with at least one match, each once, with its number of matches.
    func emitCounts(probe: Batch, counts: [Int64]) -> [Batch] {
        var keep: [Int32] = []
        keep.reserveCapacity(counts.count)
        for (row, count) in counts.enumerated() where count > 0 { keep.append(Int32(row)) }
        if keep.isEmpty { return [] }
        let whole = keep.count == probe.count
        let columns = whole ? probe.columns : probe.columns.map { $0.gather(keep) }
        let matches = whole ? counts : keep.map { counts[Int($0)] }
        return [Batch(columns: columns + [Column(type: .bigint, data: .int64(matches))], count: keep.count)]
    }

    var tracksBuildRows: Bool { kind == .right || kind == .full || kind == .rightSemi || kind == .rightAnti }

    /// Rows emitted after the probe: build rows no probe row matched, with NULL left columns (RIGHT / FULL
    /// joins); the build rows that matched (right semi) or did not (right anti), build columns only.
    func unmatchedBuildRows() -> [Batch] {
        guard tracksBuildRows else { return [] }
        if kind == .rightSemi || kind == .rightAnti {
            let wanted: UInt8 = kind == .rightSemi ? 1 : 0
            let rows = (0..<build.count).filter { buildMatched[$0] == wanted }.map { Int32($0) }
            if rows.isEmpty { return [] }
            return ColumnAssembly.split(rows.count == build.count ? build : build.gather(rows))
        }
        let rows = (0..<build.count).filter { buildMatched[$0] == 0 }.map { Int32($0) }
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
