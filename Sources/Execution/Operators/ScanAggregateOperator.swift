import Foundation
import Storage

/// Ungrouped `COUNT(*)`, `SUM(bigint column)` and `COUNT(DISTINCT varchar column)` straight off an unfiltered
/// table scan, fused with decoding: each morsel's sum comes from the chunk's encoded form
/// (`TableSnapshot.fusedInt64Sum`: n·reference + Σ packed offsets for frame-of-reference), `COUNT(*)` from the
/// morsel's row count, and a dictionary-encoded string chunk registers only the dictionary entries its codes
/// use (byte-wise distinct, as the general path compares) instead of a group id per row.
/// Chunks the fused sum does not cover (NULLs, dictionary/delta encoding, sums that need checking) are read and
/// summed with overflow checks. Morsels run on `context.threads` workers. Same results as `HashAggregateOperator`
/// for the calls it accepts (`make` returns nil for anything else): NULL sum over no non-NULL rows, "bigint
/// overflow" when the total does not fit.
public final class ScanAggregateOperator: PhysicalOperator {
    /// One output column: `COUNT(*)`, `SUM` or `COUNT(DISTINCT …)` of the scan's output column `position`.
    enum Item { case countStar, sum(position: Int), countDistinct(position: Int) }

    public let scan: TableScanOperator
    let items: [Item]
    public let outputTypes: [DataType]
    public let statistics = OperatorStatistics()
    private var result: Batch?

    init(scan: TableScanOperator, items: [Item]) {
        self.scan = scan
        self.items = items
        outputTypes = items.map { _ in .bigint }
    }

    /// The fused operator for `aggregates` (no GROUP BY) over `child`, or nil when it does not apply.
    public static func make(child: PhysicalOperator, aggregates: [AggregateCall]) -> ScanAggregateOperator? {
        guard let scan = child as? TableScanOperator, scan.filter == nil, scan.predicates.isEmpty, !aggregates.isEmpty else { return nil }
        var items: [Item] = []
        for call in aggregates {
            guard !call.distinct || call.kind == .count, call.filter == nil, call.resultType == .bigint else { return nil }
            switch call.kind {
            case .countStar where call.arguments.isEmpty:
                items.append(.countStar)
            case .sum:
                guard call.arguments.count == 1, case let .column(p, t) = call.arguments[0], t == .bigint,
                      scan.outputTypes.indices.contains(p), scan.outputTypes[p] == .bigint else { return nil }
                items.append(.sum(position: p))
            case .count where call.distinct:
                guard call.arguments.count == 1, case let .column(p, t) = call.arguments[0], t == .varchar,
                      scan.outputTypes.indices.contains(p), scan.outputTypes[p] == .varchar else { return nil }
                items.append(.countDistinct(position: p))
            default:
                return nil
            }
        }
        return ScanAggregateOperator(scan: scan, items: items)
    }

    public var children: [PhysicalOperator] { [scan] }

    public var explainLine: String {
        "ScanAggregate aggs=[" + items.map { item -> String in
            switch item {
            case .countStar: return "count_star()"
            case let .sum(p): return "sum(#\(p))"
            case let .countDistinct(p): return "count(DISTINCT #\(p))"
            }
        }.joined(separator: ", ") + "]"
    }

    /// Per-worker partial results: total rows, and per item a sum and a non-NULL count.
    private struct Partial {
        var rows = 0
        var sums: [Int64]
        var counts: [Int]
        /// Per item, the distinct strings seen (as bytes) for `COUNT(DISTINCT …)`.
        var distinct: [Set<[UInt8]>] = []
    }

    public func open(_ context: ExecutionContext) throws {
        let start = OperatorClock.now()
        let morselCount = try scan.prepareMorsels(context)
        let workers = max(1, min(context.settings.threads, morselCount))
        let lock = NSLock()
        var next = 0
        var firstError: Error?
        var partials = [Partial](repeating: Partial(sums: items.map { _ in 0 }, counts: items.map { _ in 0 }), count: workers)
        let body: (Int) -> Void = { worker in
            var partial = Partial(sums: self.items.map { _ in 0 }, counts: self.items.map { _ in 0 })
            do {
                while true {
                    let index: Int? = lock.withLock {
                        guard firstError == nil, next < morselCount else { return nil }
                        defer { next += 1 }
                        return next
                    }
                    guard let index else { break }
                    try context.progress.checkCancelled()
                    try self.accumulate(morsel: index, into: &partial, context)
                }
            } catch {
                lock.withLock { if firstError == nil { firstError = error } }
            }
            lock.withLock { partials[worker] = partial }
        }
        if workers == 1 {
            body(0)
        } else {
            let boxed = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { boxed.value($0) }
        }
        if let firstError { throw firstError }
        var columns: [Column] = []
        for (k, item) in items.enumerated() {
            switch item {
            case .countStar:
                columns.append(Column(type: .bigint, data: .int64([Int64(partials.reduce(0) { $0 + $1.rows })]), validity: nil))
            case .sum:
                var total: Int64 = 0
                var count = 0
                for p in partials {
                    let r = total.addingReportingOverflow(p.sums[k])
                    if r.overflow { throw TarnError.execution("bigint overflow") }
                    total = r.partialValue
                    count += p.counts[k]
                }
                columns.append(count == 0 ? Column.nulls(.bigint, count: 1) : Column(type: .bigint, data: .int64([total]), validity: nil))
            case .countDistinct:
                var union = Set<[UInt8]>()
                for p in partials where k < p.distinct.count { union.formUnion(p.distinct[k]) }
                columns.append(Column(type: .bigint, data: .int64([Int64(union.count)]), validity: nil))
            }
        }
        result = Batch(columns: columns, count: 1)
        statistics.add(rows: 1, nanos: OperatorClock.since(start))
    }

    /// Adds one morsel to `partial`: fused sums where the chunk allows, else the decoded column, checked.
    private func accumulate(morsel index: Int, into partial: inout Partial, _ context: ExecutionContext) throws {
        let morsel = scan.morsel(index)
        partial.rows += morsel.rowCount
        var bytes = 0
        if partial.distinct.count < items.count { partial.distinct = items.map { _ in [] } }
        for (k, item) in items.enumerated() {
            if case let .countDistinct(p) = item {
                if let entries = try scan.snapshot.usedDictionaryEntries(morsel, column: scan.columns[p]) {
                    for e in entries.used.indices where entries.used[e] && e < entries.dictionary.count {
                        partial.distinct[k].insert(entries.dictionary.withBytes(at: e) { Array($0) })
                    }
                } else {
                    let batch = try scan.snapshot.read(morsel, columns: [scan.columns[p]], bytesRead: &bytes)
                    try Self.register(batch.columns[0], into: &partial.distinct[k])
                }
                continue
            }
            guard case let .sum(p) = item else { continue }
            let column = scan.columns[p]
            let chunkSum: FusedChunkSum
            if let fused = try scan.snapshot.fusedInt64Sum(morsel, column: column) {
                chunkSum = fused
            } else {
                let batch = try scan.snapshot.read(morsel, columns: [column], bytesRead: &bytes)
                chunkSum = try Self.checkedSum(batch.columns[0])
            }
            let r = partial.sums[k].addingReportingOverflow(chunkSum.sum)
            if r.overflow { throw TarnError.execution("bigint overflow") }
            partial.sums[k] = r.partialValue
            partial.counts[k] += chunkSum.count
        }
        context.progress.scanned(rows: morsel.rowCount, bytes: bytes)
    }

    /// Adds the distinct non-NULL strings of `column` to `set`: for a dictionary column, only the entries some
    /// non-NULL row's code refers to.
    static func register(_ column: Column, into set: inout Set<[UInt8]>) throws {
        switch column.data {
        case let .dictionary(codes, dictionary):
            var used = [Bool](repeating: false, count: dictionary.count)
            var outOfRange = false
            codes.withUnsafeBufferPointer { c in
                used.withUnsafeMutableBufferPointer { u in
                    let size = u.count
                    if let validity = column.validity {
                        for i in 0 ..< c.count where validity[i] != 0 {
                            let code = Int(c[i])
                            if code >= 0 && code < size { u[code] = true } else { outOfRange = true }
                        }
                    } else {
                        for code in c {
                            let x = Int(code)
                            if x >= 0 && x < size { u[x] = true } else { outOfRange = true }
                        }
                    }
                }
            }
            if outOfRange { throw TarnError(.internal, "ScanAggregate: dictionary code out of range") }
            for e in 0 ..< dictionary.count where used[e] { set.insert(dictionary.withBytes(at: e) { Array($0) }) }
        case let .string(strings):
            for i in 0 ..< strings.count where column.validity.map({ $0[i] != 0 }) ?? true {
                set.insert(strings.withBytes(at: i) { Array($0) })
            }
        default:
            throw TarnError(.internal, "ScanAggregate: COUNT(DISTINCT) over a non-VARCHAR column")
        }
    }

    /// Sum and non-NULL count of a decoded BIGINT column; overflow of a partial sum is "bigint overflow".
    static func checkedSum(_ column: Column) throws -> FusedChunkSum {
        guard case let .int64(values) = column.data else { throw TarnError(.internal, "ScanAggregate: SUM over a non-BIGINT column") }
        var total: Int64 = 0
        var count = 0
        var overflow = false
        values.withUnsafeBufferPointer { v in
            if let validity = column.validity {
                for i in 0 ..< v.count where validity[i] != 0 {
                    let r = total.addingReportingOverflow(v[i])
                    overflow = overflow || r.overflow
                    total = r.partialValue
                    count += 1
                }
            } else {
                for x in v {
                    let r = total.addingReportingOverflow(x)
                    overflow = overflow || r.overflow
                    total = r.partialValue
                }
                count = v.count
            }
        }
        if overflow { throw TarnError.execution("bigint overflow") }
        return FusedChunkSum(sum: total, count: count)
    }

    public func next() throws -> Batch? {
        defer { result = nil }
        return result
    }

    public func close() { result = nil; scan.close() }
}
