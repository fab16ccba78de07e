import Foundation
import Storage

extension TableScanOperator {
    /// Takes the runtime filters published so far: an empty one (the join's build side has no key) leaves no
    /// morsel to read, the ranges skip row groups by their statistics, and the filters are kept for the rows.
    func applyRuntimeFilterRanges() throws {
        activeRuntimeFilters = runtimeFilters.compactMap { target in target.slot.filter.map { (target.position, $0) } }
        runtimeFilterYield.reset()
        guard !activeRuntimeFilters.isEmpty else { return }
        let before = morsels.count
        if activeRuntimeFilters.contains(where: { $0.filter.isEmpty }) {
            morsels = []
        } else {
            var ranges: [ColumnPredicate] = []
            for (position, filter) in activeRuntimeFilters {
                let column = columns[position]
                guard column >= 0, column < snapshot.schema.count else { continue }
                let type = snapshot.schema.fields[column].type
                guard let lo = Self.value(filter.minimum, type), let hi = Self.value(filter.maximum, type) else { continue }
                ranges.append(ColumnPredicate(column: column, comparison: .greaterOrEqual, value: lo))
                ranges.append(ColumnPredicate(column: column, comparison: .lessOrEqual, value: hi))
            }
            morsels = try snapshot.morsels(morsels, mayMatch: ranges)
        }
        statistics.add("runtime_filter_row_groups_skipped", before - morsels.count)
    }

    /// `x` as a constant of a column of `type` (clamped into an INTEGER's or DATE's range, which only widens the
    /// range it bounds), or nil for a type whose statistics it cannot be compared with.
    static func value(_ x: Int64, _ type: DataType) -> Value? {
        switch type {
        case .integer: return .integer(Int32(clamping: x))
        case .date: return .date(Int32(clamping: x))
        case .bigint: return .bigint(x)
        case .timestamp: return .timestamp(x)
        case .timestampTZ: return .timestampTZ(x)
        case let .decimal(p, s) where p <= 18: return .decimal(x, scale: s)
        default: return nil
        }
    }

    /// With runtime filters that still pay: the morsel's own filter first when it runs early (on its columns alone,
    /// usually cheaper than decoding the key), then the key columns for the rows it keeps and the runtime filters on
    /// them, then the other columns for the rows left only (none when no row is). Nil: read the morsel the usual way.
    func readFilteringByRuntimeFilters(_ index: Int, _ context: ExecutionContext) throws -> Batch? {
        guard !activeRuntimeFilters.isEmpty, runtimeFilterYield.pays else { return nil }
        let morsel = morsels[index]
        var bytes = 0
        defer {
            context.progress.scanned(rows: morsel.rowCount, bytes: bytes)
            statistics.add("bytes_read", bytes)
        }
        // Morsel positions of the rows still in (nil: all), and the columns decoded so far for exactly those rows.
        var rows: [Int32]? = nil
        var known = [Column?](repeating: nil, count: columns.count)
        var count = morsel.rowCount
        /// Reads the positions among `wanted` not decoded yet, for `rows`.
        func decode(_ wanted: [Int]) throws {
            let missing = wanted.filter { known[$0] == nil }
            if missing.isEmpty { return }
            if count == 0 {
                for position in missing { known[position] = Column.nulls(outputTypes[position], count: 0) }
                return
            }
            let part = try snapshot.read(morsel, columns: missing.map { columns[$0] }, rows: rows, bytesRead: &bytes,
                                         fillCache: fillsChunkCache)
            count = part.count
            for (k, position) in missing.enumerated() { known[position] = part.columns[k] }
        }
        /// Keeps the rows at `selected` (indices into the current rows).
        func keep(_ selected: [Int32]) {
            if selected.count == count { return }
            rows = rows.map { current in selected.map { current[Int($0)] } } ?? selected
            for position in known.indices { known[position] = known[position]?.gather(selected) }
            count = selected.count
        }
        var filterDone = morselFilters[index] == nil
        if let early = morselEarlyFilters[index] {
            try decode(early.filterColumns)
            let filterBatch = Batch(columns: early.filterColumns.map { known[$0] ?? Column.nulls(outputTypes[$0], count: 0) }, count: count)
            keep(count > 0 ? try OperatorExpressions.select(early.filter, filterBatch, context) : [])
            filterDone = true
        }
        var keyPositions: [Int] = []
        for (position, _) in activeRuntimeFilters where !keyPositions.contains(position) { keyPositions.append(position) }
        try decode(keyPositions)
        let tested = count
        var kept: [Int32]? = nil
        for (position, filter) in activeRuntimeFilters where count > 0 {
            guard let column = known[position] else { continue }
            var out: [Int32] = []
            filter.select(column, rows: kept, into: &out)
            kept = out
            if out.isEmpty { break }
        }
        if let kept { keep(kept) }
        runtimeFilterYield.record(tested: tested, kept: count)
        statistics.add("runtime_filter_rows_removed", tested - count)
        try decode(Array(0 ..< columns.count))
        var batch = Batch(columns: known.enumerated().map { $0.element ?? Column.nulls(outputTypes[$0.offset], count: 0) }, count: count)
        if !filterDone, let filter = morselFilters[index], batch.count > 0 {
            let selected = try OperatorExpressions.select(filter, batch, context)
            if selected.count != batch.count { batch = batch.gather(selected) }
        }
        return batch
    }
}

/// Rows a scan's runtime filters tested and kept: once they have seen a few row groups and keep 90 % of the rows
/// or more, testing rows no longer pays (the ranges still skip row groups).
final class RuntimeFilterYield: @unchecked Sendable {
    private let lock = NSLock()
    private var tested = 0
    private var kept = 0

    /// Rows tested before the yield is judged.
    static let trialRows = 200_000

    func reset() { lock.lock(); tested = 0; kept = 0; lock.unlock() }

    func record(tested t: Int, kept k: Int) { lock.lock(); tested += t; kept += k; lock.unlock() }

    var pays: Bool {
        lock.lock(); defer { lock.unlock() }
        return tested < Self.trialRows || kept * 10 < tested * 9
    }
}
