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

    /// With runtime filters that still pay: reads the key columns, keeps the rows every filter may match, reads the
    /// other columns for those rows only (none when no row is kept), and applies the morsel's own filter. Nil: read
    /// the morsel the usual way.
    func readFilteringByRuntimeFilters(_ index: Int, _ context: ExecutionContext) throws -> Batch? {
        guard !activeRuntimeFilters.isEmpty, runtimeFilterYield.pays else { return nil }
        let morsel = morsels[index]
        var bytes = 0
        defer {
            context.progress.scanned(rows: morsel.rowCount, bytes: bytes)
            statistics.add("bytes_read", bytes)
        }
        var keyPositions: [Int] = []
        for (position, _) in activeRuntimeFilters where !keyPositions.contains(position) { keyPositions.append(position) }
        let head = try snapshot.read(morsel, columns: keyPositions.map { columns[$0] }, bytesRead: &bytes, fillCache: fillsChunkCache)
        var kept: [Int32]? = nil
        for (position, filter) in activeRuntimeFilters {
            guard let k = keyPositions.firstIndex(of: position) else { continue }
            var out: [Int32] = []
            out.reserveCapacity(kept?.count ?? head.count)
            filter.select(head.columns[k], rows: kept, into: &out)
            kept = out
            if out.isEmpty { break }
        }
        let rows = kept ?? []
        runtimeFilterYield.record(tested: head.count, kept: rows.count)
        statistics.add("runtime_filter_rows_removed", head.count - rows.count)
        let all = rows.count == head.count
        let others = (0 ..< columns.count).filter { !keyPositions.contains($0) }
        let rest: Batch
        if rows.isEmpty {
            rest = Batch(columns: others.map { Column.nulls(outputTypes[$0], count: 0) }, count: 0)
        } else {
            rest = try snapshot.read(morsel, columns: others.map { columns[$0] }, rows: all ? nil : rows, bytesRead: &bytes,
                                     fillCache: fillsChunkCache)
        }
        var out = [Column](repeating: Column.nulls(.integer, count: 0), count: columns.count)
        for (k, position) in keyPositions.enumerated() { out[position] = all ? head.columns[k] : head.columns[k].gather(rows) }
        for (k, position) in others.enumerated() { out[position] = rest.columns[k] }
        var batch = Batch(columns: out, count: rows.count)
        if let filter = morselFilters[index], batch.count > 0 {
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
