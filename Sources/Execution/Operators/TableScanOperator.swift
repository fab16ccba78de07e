import Storage

/// Reads columns of a table snapshot morsel by morsel (one row group each), skipping row groups whose
/// statistics rule out `predicates`, and applying `filter` (over the scanned columns) right after reading.
/// `predicateConjuncts[p]` names the conjunct of `filter` (its operands when it is an AND, else the filter
/// itself) that predicate `p` states exactly, or -1; in a row group whose statistics prove that predicate for
/// every row, that conjunct is not evaluated (and with all conjuncts proven, no filter runs at all).
///
/// `runtimeFilters` come from hash joins above it (see `RuntimeFilter`): their ranges skip row groups when the
/// morsels are planned, and their Bloom filters drop rows right after the key columns are decoded, before the
/// other columns are.
///
/// Statistics extras: `row_groups_total`, `row_groups_skipped`, `bytes_read`, and with runtime filters
/// `runtime_filter_row_groups_skipped` and `runtime_filter_rows_removed`. Also a morsel source, so an
/// aggregate above it can scan in parallel.
public final class TableScanOperator: PhysicalOperator, MorselSource {
    public let snapshot: TableSnapshot
    public let columns: [Int]
    public let predicates: [ColumnPredicate]
    public let filter: BoundExpression?
    public let statistics = OperatorStatistics()
    public let outputTypes: [DataType]

    public let predicateConjuncts: [Int]
    /// Whether the chunks this scan decompresses go into the process-wide `ChunkPayloadCache`. Off for a scan whose
    /// rows stream straight to the client (`StreamingScans`): a table read once to a pipe would otherwise fill the
    /// cache with chunks no later query asks for, and hold that memory.
    public var fillsChunkCache = true

    /// Filters hash joins above publish at run time, on output positions (set by the physical planner).
    public var runtimeFilters: [RuntimeFilterTarget] = []
    /// The published ones this run applies row by row (from `prepareMorsels`), and whether that still pays.
    var activeRuntimeFilters: [(position: Int, filter: RuntimeFilter)] = []
    let runtimeFilterYield = RuntimeFilterYield()

    var morsels: [ScanMorsel] = []
    /// The filter each morsel needs (the conjuncts its statistics do not prove), parallel to `morsels`.
    var morselFilters: [BoundExpression?] = []
    /// How each morsel's filter runs before the columns it does not read are decoded, parallel to `morsels`.
    var morselEarlyFilters: [EarlyFilter?] = []
    private var nextMorsel = 0
    private var context = ExecutionContext()

    public init(snapshot: TableSnapshot, columns: [Int], predicates: [ColumnPredicate] = [], filter: BoundExpression? = nil,
                predicateConjuncts: [Int] = []) {
        self.snapshot = snapshot
        self.columns = columns
        self.predicates = predicates
        self.filter = filter
        self.predicateConjuncts = predicateConjuncts
        outputTypes = columns.map { $0 >= 0 && $0 < snapshot.schema.count ? snapshot.schema.fields[$0].type : .null }
    }

    public var children: [PhysicalOperator] { [] }

    public var explainLine: String {
        let names = columns.map { $0 >= 0 && $0 < snapshot.schema.count ? snapshot.schema.fields[$0].name : "#\($0)" }
        var line = "TableScan \(snapshot.name) v\(snapshot.version) columns=[\(names.joined(separator: ", "))]"
        if !predicates.isEmpty { line += " skip=[\(predicates.map(\.description).joined(separator: " AND "))]" }
        if let filter { line += " filter=\(OperatorExpressions.describe(filter))" }
        if !runtimeFilters.isEmpty {
            line += " runtime_filter=[\(runtimeFilters.map { "\(names[$0.position]) from \($0.slot.label)" }.joined(separator: ", "))]"
        }
        return line
    }

    public var sourceExpressions: [BoundExpression] { filter.map { [$0] } ?? [] }

    public func prepareMorsels(_ context: ExecutionContext) throws -> Int {
        self.context = context
        morsels = try snapshot.morsels(matching: predicates)
        try applyRuntimeFilterRanges()
        morselFilters = Self.filters(filter, predicateConjuncts, morsels)
        morselEarlyFilters = EarlyFilter.plans(for: morselFilters, columnCount: columns.count)
        nextMorsel = 0
        let total = snapshot.rowGroupCount
        statistics.add("row_groups_total", total)
        statistics.add("row_groups_skipped", max(0, total - morsels.count))
        context.progress.expect(rows: morsels.reduce(0) { $0 + $1.rowCount })
        return morsels.count
    }

    /// Morsel `index` of the last `prepareMorsels` (for operators that read the chunks themselves).
    func morsel(_ index: Int) -> ScanMorsel { morsels[index] }

    /// Reads morsel `index` without applying its filter, counting progress and bytes read.
    func readUnfilteredMorsel(_ index: Int, _ context: ExecutionContext) throws -> Batch {
        let morsel = morsels[index]
        var bytes = 0
        let batch = try snapshot.read(morsel, columns: columns, bytesRead: &bytes, fillCache: fillsChunkCache)
        context.progress.scanned(rows: morsel.rowCount, bytes: bytes)
        statistics.add("bytes_read", bytes)
        return batch
    }

    public func readMorsel(_ index: Int, _ context: ExecutionContext) throws -> Batch {
        let start = OperatorClock.now()
        if let batch = try readFilteringByRuntimeFilters(index, context) {
            statistics.add(rows: batch.count, nanos: OperatorClock.since(start))
            return batch
        }
        if let early = morselEarlyFilters[index] {
            let (batch, _) = try readFilteringEarly(index, early, context)
            statistics.add(rows: batch.count, nanos: OperatorClock.since(start))
            return batch
        }
        var batch = try readUnfilteredMorsel(index, context)
        if let filter = morselFilters[index], batch.count > 0 {
            let rows = try OperatorExpressions.select(filter, batch, context)
            if rows.count != batch.count { batch = batch.gather(rows) }
        }
        statistics.add(rows: batch.count, nanos: OperatorClock.since(start))
        return batch
    }

    /// Reads the columns `early`'s filter needs, filters, and then reads the other columns for the kept rows only
    /// (one by one when they are few, `SelectiveChunkDecoder`), or not at all when no row is kept. With
    /// `deferring`, a selection that keeps most rows comes back unapplied beside the whole batch (`DeferredSelection`).
    func readFilteringEarly(_ index: Int, _ early: EarlyFilter, deferring: Bool = false,
                            _ context: ExecutionContext) throws -> (Batch, [Int32]?) {
        let morsel = morsels[index]
        var bytes = 0
        defer {
            context.progress.scanned(rows: morsel.rowCount, bytes: bytes)
            statistics.add("bytes_read", bytes)
        }
        // A sequence chunk narrows the candidate rows first (the whole filter still runs on them).
        var candidates: [Int32]? = nil
        if let probe = early.sequenceProbe,
           let range = try snapshot.sequenceRange(morsel, column: columns[probe.column], comparison: probe.comparison,
                                                  value: probe.value, fillCache: fillsChunkCache),
           range.count &* 8 <= morsel.rowCount {
            // Only a narrow range pays: its rows are then decoded one by one (a wide one reads the chunks whole).
            if range.isEmpty {
                return (try finishEarly(morsel, early, head: emptyBatch(early.filterColumns), kept: [], bytes: &bytes), nil)
            }
            candidates = range.map { Int32($0) }
        }
        let head = try snapshot.read(morsel, columns: early.filterColumns.map { columns[$0] }, rows: candidates, bytesRead: &bytes,
                                     fillCache: fillsChunkCache)
        var rows = head.count > 0 ? try OperatorExpressions.select(early.filter, head, context) : []
        if let candidates {
            // Positions in the candidates become positions in the morsel.
            let selected = head.gather(rows)
            rows = rows.map { candidates[Int($0)] }
            return (try finishEarly(morsel, early, head: selected, kept: rows, bytes: &bytes), nil)
        }
        let deferred = deferring && rows.count < head.count && DeferredSelection.defers(kept: rows.count, of: head.count)
        let kept = rows.count == head.count || deferred ? nil : rows
        let filtered = kept.map { head.gather($0) } ?? head
        return (try finishEarly(morsel, early, head: filtered, kept: kept, bytes: &bytes), deferred ? rows : nil)
    }

    /// The batch of an early-filtered morsel: `head` (the filter's columns, already restricted to the kept rows)
    /// and the other columns read for `kept` (morsel positions; nil: every row).
    private func finishEarly(_ morsel: ScanMorsel, _ early: EarlyFilter, head filtered: Batch, kept: [Int32]?,
                             bytes: inout Int) throws -> Batch {
        let rest: Batch
        if kept?.isEmpty == true {
            rest = emptyBatch(early.otherColumns)
        } else {
            rest = try snapshot.read(morsel, columns: early.otherColumns.map { columns[$0] }, rows: kept, bytesRead: &bytes,
                                     fillCache: fillsChunkCache)
        }
        var out = [Column](repeating: Column.nulls(.integer, count: 0), count: columns.count)
        for (k, position) in early.filterColumns.enumerated() { out[position] = filtered.columns[k] }
        for (k, position) in early.otherColumns.enumerated() { out[position] = rest.columns[k] }
        return Batch(columns: out, count: filtered.count)
    }

    /// No rows of the output positions `positions`.
    private func emptyBatch(_ positions: [Int]) -> Batch {
        Batch(columns: positions.map { Column.nulls(outputTypes[$0], count: 0) }, count: 0)
    }

    /// The filter of each morsel: `filter` without the conjuncts its statistics prove (nil when all are proven).
    static func filters(_ filter: BoundExpression?, _ predicateConjuncts: [Int], _ morsels: [ScanMorsel]) -> [BoundExpression?] {
        guard let filter else { return morsels.map { _ in nil } }
        let conjuncts: [BoundExpression]
        if case let .and(xs) = filter { conjuncts = xs } else { conjuncts = [filter] }
        var byMask: [UInt64: BoundExpression?] = [:]
        return morsels.map { morsel -> BoundExpression? in
            var provenConjuncts = Set<Int>()
            for (p, c) in predicateConjuncts.prefix(64).enumerated() where c >= 0 && c < conjuncts.count {
                if morsel.provenPredicates & (1 << UInt64(p)) != 0 { provenConjuncts.insert(c) }
            }
            if provenConjuncts.isEmpty { return filter }
            let mask = provenConjuncts.reduce(UInt64(0)) { $0 | ($1 < 64 ? 1 << UInt64($1) : 0) }
            if let known = byMask[mask] { return known }
            let rest = conjuncts.enumerated().filter { !provenConjuncts.contains($0.offset) }.map(\.element)
            let remaining: BoundExpression? = rest.isEmpty ? nil : (rest.count == 1 ? rest[0] : .and(rest))
            byMask[mask] = remaining
            return remaining
        }
    }

    public func open(_ context: ExecutionContext) throws {
        _ = try prepareMorsels(context)
    }

    public func next() throws -> Batch? {
        while nextMorsel < morsels.count {
            try context.progress.checkCancelled()
            let index = nextMorsel
            nextMorsel += 1
            let batch = try readMorsel(index, context)
            if batch.count > 0 { return batch }
        }
        return nil
    }

    public func close() { morsels = []; morselFilters = []; morselEarlyFilters = []; activeRuntimeFilters = [] }
}
