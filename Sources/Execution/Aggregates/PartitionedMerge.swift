import Foundation
import Storage

/// Merges the partial aggregations of a parallel GROUP BY on all workers at once, instead of folding them
/// one after another into the first on one thread.
///
/// Every group goes to one of `partials.count` partitions by a hash of its key values
/// (`KeyHashing.rows`, independent of each worker's internal ids). Partial `t` owns partition `t`:
/// 1. (parallel, read-only on every partial) worker `t` takes the groups of partition `t` out of each other
///    partial — their key columns and their accumulator states (merged into empty accumulators);
/// 2. (parallel, each worker touching only its own partial) worker `t` folds those into its partial; it emits
///    the groups of partition `t`: its own groups hashed there plus all groups it just took in.
/// Every group of the result is thus emitted exactly once. Used for partials without DISTINCT aggregates
/// and without order-sensitive ones (the caller checks both).
enum PartitionedMerge {
    /// Most partials merged this way (partition numbers are bytes).
    static let maxPartitions = 256
    /// Rows per key-table call when folding taken groups in.
    static let mergeChunk = 65_536

    /// The merged groups: each partial with the rows (group ids, ascending) it emits, nil for all of them.
    static func run(_ partials: [GroupedAggregation], _ context: ExecutionContext) throws -> [(state: GroupedAggregation, rows: [Int32]?)] {
        let count = partials.count
        guard count <= maxPartitions, count > 1 else {
            for partial in partials.dropFirst() { try partials[0].merge(partial) }
            return partials.isEmpty ? [] : [(partials[0], nil)]
        }
        // The partition of every group of every partial.
        let partitions = try parallelMap(count) { w -> [UInt8] in
            let partial = partials[w]
            for accumulator in partial.accumulators { accumulator.resize(partial.table.groupCount) }
            return partial.table.valueHashes().map { UInt8(truncatingIfNeeded: (($0 >> 32) &* UInt64(count)) >> 32) }
        }
        try context.progress.checkCancelled()
        // Step 1: each worker collects its partition's groups from the other partials.
        var incoming = try parallelMap(count) { t -> [(keys: [Column], count: Int, states: [GroupedAccumulator])] in
            var taken: [(keys: [Column], count: Int, states: [GroupedAccumulator])] = []
            for w in 0..<count where w != t {
                let partition = partitions[w]
                var selected: [Int32] = []
                var mapping = [Int32](repeating: -1, count: partition.count)
                for g in 0..<partition.count where Int(partition[g]) == t {
                    mapping[g] = Int32(selected.count)
                    selected.append(Int32(g))
                }
                if selected.isEmpty { continue }
                let takenKeys = partials[w].table.keyColumns(of: selected)
                let states = try partials[w].accumulators.map { source -> GroupedAccumulator in
                    let state = source.makeEmpty()
                    state.resize(selected.count)
                    try state.merge(source, mapping: mapping)
                    return state
                }
                taken.append((takenKeys, selected.count, states))
            }
            return taken
        }
        try context.progress.checkCancelled()
        // Step 2: each worker folds them into its own partial and picks the groups it emits.
        let rows = try parallelMap(count) { t -> [Int32]? in
            let own = partials[t]
            let original = own.table.groupCount
            var mapping: [Int32] = []
            var chunkIDs: [Int32] = []
            for part in incoming[t] {
                // Assign in batch-sized chunks: key tables keep per-batch scratch space sized to their input.
                mapping.removeAll(keepingCapacity: true)
                var lo = 0
                while lo < part.count {
                    let hi = min(lo + mergeChunk, part.count)
                    let chunk = lo == 0 && hi == part.count ? part.keys : part.keys.map { $0.slice(lo..<hi) }
                    own.table.assign(chunk, count: hi - lo, groupIDs: &chunkIDs)
                    mapping.append(contentsOf: chunkIDs)
                    lo = hi
                }
                let groups = own.table.groupCount
                for (mine, theirs) in zip(own.accumulators, part.states) {
                    mine.resize(groups)
                    try mine.merge(theirs, mapping: mapping)
                }
            }
            let groups = own.table.groupCount
            let partition = partitions[t]
            var keep: [Int32] = []
            keep.reserveCapacity(groups)
            for g in 0..<original where Int(partition[g]) == t { keep.append(Int32(g)) }
            if keep.count == groups { return nil }
            for g in original..<groups { keep.append(Int32(g)) }
            return keep
        }
        incoming = []
        return (0..<count).map { (partials[$0], rows[$0]) }
    }

    /// `body(i)` for every `i` in `0..<count`, each on its own thread; results in index order, the first
    /// error rethrown.
    static func parallelMap<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
        try ParallelMap.run(count, body)
    }
}
