import Storage

/// ORDER BY: materialises its input, sorts a permutation by the key columns (stable; NULL placement per key;
/// strings byte-wise), then emits the rows in that order.
///
/// The input is accounted to the statement's `memory_limit`. When it does not fit, the operator sorts what it
/// holds into a run, spills the run (rows plus the keys that are not plain columns) to a compressed spill file, and
/// goes on; at the end
/// it k-way merges the runs batch by batch (`SortedRunMerger`), in passes of at most `mergeFanIn` runs. The
/// answer is the same as the in-memory sort's, ties included.
public final class SortOperator: PhysicalOperator {
    public let child: PhysicalOperator
    public let keys: [SortKey]
    public let statistics = OperatorStatistics()
    /// Most runs merged at once by default (open files and one batch per run in memory); more are merged in passes.
    public static let defaultMergeFanIn = 64
    /// Most runs this operator merges at once.
    public let mergeFanIn: Int
    /// The in-memory case: the input and its sorting permutation, emitted `Batch.defaultSize` rows at a time.
    private var sortedRows = Batch(columns: [], count: 0)
    private var permutation: [Int32] = []
    private var emitted = 0
    private var reservation: MemoryReservation?
    private var merger: SortedRunMerger?
    private var runs: [SpillFile] = []
    /// What the spilled runs' keys hold, for the merge's image layout: per key its kind (strings: the longest value)
    /// and whether any run had a NULL in it.
    private var runKeyKinds: [NormalizedSortKeys.Layout.Kind] = []
    private var runKeyNullable: [Bool] = []

    public init(child: PhysicalOperator, keys: [SortKey], mergeFanIn: Int = SortOperator.defaultMergeFanIn) {
        self.child = child
        self.keys = keys
        self.mergeFanIn = max(2, mergeFanIn)
    }

    public var outputTypes: [DataType] { child.outputTypes }
    public var children: [PhysicalOperator] { [child] }
    public var explainLine: String { "Sort [\(SortOperator.describe(keys))]" }

    static func describe(_ keys: [SortKey]) -> String {
        keys.map { "\(OperatorExpressions.describe($0.expression)) \($0.ascending ? "ASC" : "DESC") NULLS \($0.nullsFirst ? "FIRST" : "LAST")" }
            .joined(separator: ", ")
    }

    /// Bytes the sort of a batch needs: the batch, its concatenated copy (dictionary strings flattened: codes of
    /// different row groups cannot share one dictionary), and per row the normalised key image (estimated: 9 bytes
    /// per key, 33 more per string key), the (first word, row) pairs and the permutation.
    func sortingCost(_ batch: Batch) -> Int {
        Self.sortingCost(batch) + batch.count * keys.reduce(0) { $0 + 9 + ($1.expression.type.physical == .string ? 33 : 0) }
    }

    static func sortingCost(_ batch: Batch) -> Int {
        var flat = 0
        for column in batch.columns {
            if case let .dictionary(codes, dictionary) = column.data, dictionary.count > 0 {
                flat += codes.count * (dictionary.bytes.count / dictionary.count + 8) + (column.validity?.count ?? 0)
            } else {
                flat += column.estimatedBytes
            }
        }
        return batch.estimatedBytes + flat + batch.count * 32
    }

    public func open(_ context: ExecutionContext) throws {
        let start = OperatorClock.now()
        let reservation = MemoryReservation(context.memory, owner: "sort")
        self.reservation = reservation
        // A scan pipeline is read ahead on `threads` threads, in its order (decompression overlaps the sort).
        let reader = try OrderedMorselReader.make(child, context, workers: max(1, context.settings.threads))
        if reader == nil { try child.open(context) }
        var inputOpen = true
        defer { if inputOpen { reader?.finish(); child.close() } }
        func nextInput() throws -> Batch? {
            if let reader { return try reader.next() }
            return try child.next()
        }
        let types = child.outputTypes
        var parts: [Batch] = []
        var rows = 0
        var runTypes: [DataType]? = nil
        while let input = try nextInput() {
            try context.progress.checkCancelled()
            guard input.count > 0 else { continue }
            rows += input.count
            var pieces = [input]
            if input.count > SpillFile.rowsPerGroup {
                if reservation.tryGrow(by: sortingCost(input)) { parts.append(input); continue }
                // A large batch that does not fit whole (scans yield row groups of 100k+ rows) is taken in pieces.
                pieces = stride(from: 0, to: input.count, by: Batch.defaultSize).map {
                    input.slice($0 ..< min(input.count, $0 + Batch.defaultSize))
                }
            }
            for b in pieces {
                if !reservation.tryGrow(by: sortingCost(b)) {
                    // Over budget: what is held becomes a sorted run on disk (the piece alone, if nothing is held).
                    if !parts.isEmpty {
                        runTypes = try spillRun(parts, types: types, runTypes: runTypes, context)
                        parts = []
                        reservation.release()
                        // The run's rows are freed: give the pages back, so the process stays near memory_limit.
                        AllocatorTuning.releaseFreeMemory()
                    }
                    if !reservation.tryGrow(by: sortingCost(b)) {
                        runTypes = try spillRun([b], types: types, runTypes: runTypes, context)
                        continue
                    }
                }
                parts.append(b)
            }
        }
        inputOpen = false
        reader?.finish()
        child.close()
        if runs.isEmpty {
            let all = parts.isEmpty ? Batch(columns: types.map { Column(type: $0, data: .zeros($0, count: 0)) }, count: 0)
                : ColumnAssembly.concatenate(parts, types: types)
            parts = []
            let keyColumns = try OperatorExpressions.evaluate(keys.map(\.expression), all, context)
            sortedRows = all
            permutation = try RowComparator(columns: keyColumns, keys: keys)
                .sortedPermutation(all.count, checking: context.progress, workers: max(1, context.settings.threads))
            emitted = 0
        } else {
            if !parts.isEmpty { runTypes = try spillRun(parts, types: types, runTypes: runTypes, context) }
            parts = []
            reservation.release()
            let allTypes = runTypes ?? types
            while runs.count > mergeFanIn { try mergePass(types: allTypes, context) }
            merger = try SortedRunMerger(runs: runs, sortKeys: keys, layout: mergeLayout, types: allTypes, keyColumns: runKeyColumns)
        }
        statistics.add(rows: rows, nanos: OperatorClock.since(start))
    }

    public func next() throws -> Batch? {
        if let merger {
            guard let merged = try merger.next() else { return nil }
            _ = reservation?.tryResize(to: merger.heldBytes)
            return Batch(columns: Array(merged.columns.prefix(child.outputTypes.count)), count: merged.count)
        }
        // In memory: the output batches are gathered one at a time (no second copy of the whole input).
        guard emitted < permutation.count else { return nil }
        let end = min(permutation.count, emitted + Batch.defaultSize)
        defer { emitted = end }
        return sortedRows.gather(Array(permutation[emitted ..< end]))
    }

    public func close() {
        sortedRows = Batch(columns: [], count: 0)
        permutation = []
        merger = nil
        for run in runs { run.delete() }
        runs = []
        reservation?.release()
    }

    /// Sorts `parts` and writes them, followed by their key columns, to a new spill file; returns the file's types.
    private func spillRun(_ parts: [Batch], types: [DataType], runTypes: [DataType]?, _ context: ExecutionContext) throws -> [DataType] {
        let all = ColumnAssembly.concatenate(parts, types: types)
        let keyColumns = try OperatorExpressions.evaluate(keys.map(\.expression), all, context)
        let perm = try RowComparator(columns: keyColumns, keys: keys)
            .sortedPermutation(all.count, checking: context.progress, workers: max(1, context.settings.threads))
        noteRunKeys(keyColumns)
        // A key that is one of the rows' columns is read from there; the others are stored after the rows.
        let computed = keys.indices.filter { runKeyColumn($0, rowColumns: types.count) >= types.count }
        let fileTypes = runTypes ?? (types + computed.map { keyColumns[$0].type })
        let file = try context.spill.newFile(types: fileTypes, purpose: "sort run")
        runs.append(file)
        let withKeys = Batch(columns: all.columns + computed.map { keyColumns[$0] }, count: all.count)
        var offset = 0
        while offset < perm.count {
            try context.progress.checkCancelled()
            let end = min(perm.count, offset + SpillFile.rowsPerGroup)
            try file.append(withKeys.gather(Array(perm[offset ..< end])))
            offset = end
        }
        try file.finishWriting()
        statistics.add("spilled_runs", 1)
        statistics.add("spilled_rows", all.count)
        statistics.add("spilled_bytes", file.byteSize)
        return fileTypes
    }

    /// The column of a spilled run that holds key `k`: the row column a plain column reference names, else the
    /// computed key's place after the `rowColumns` row columns.
    private func runKeyColumn(_ k: Int, rowColumns: Int) -> Int {
        if case let .column(index, _) = keys[k].expression, index < rowColumns { return index }
        var place = rowColumns
        for j in 0 ..< k {
            if case let .column(index, _) = keys[j].expression, index < rowColumns { continue }
            place += 1
        }
        return place
    }

    /// Every key's column in the spilled runs.
    private var runKeyColumns: [Int] { keys.indices.map { runKeyColumn($0, rowColumns: child.outputTypes.count) } }

    /// Widens `runKeyKinds` / `runKeyNullable` by one run's key columns.
    private func noteRunKeys(_ keyColumns: [Column]) {
        if runKeyKinds.isEmpty {
            runKeyKinds = keyColumns.map { _ in .integer }
            runKeyNullable = keyColumns.map { _ in false }
        }
        for (k, column) in keyColumns.enumerated() {
            if let validity = column.validity, validity.contains(0) { runKeyNullable[k] = true }
            let kind: NormalizedSortKeys.Layout.Kind
            switch column.data {
            case .bool, .int32, .int64, .list, .fields: kind = .integer
            case .int128: kind = .wide
            case .double: kind = .double
            case let .string(s): kind = .string(prefix: NormalizedSortKeys.Layout.longestString(s), lengthByte: true)
            case let .dictionary(_, dictionary): kind = .string(prefix: NormalizedSortKeys.Layout.longestString(dictionary), lengthByte: true)
            }
            if case let .string(longest, _) = kind, case let .string(before, _) = runKeyKinds[k] {
                runKeyKinds[k] = .string(prefix: max(longest, before), lengthByte: true)
            } else {
                runKeyKinds[k] = kind
            }
        }
    }

    /// The merge's image layout: every run's keys fit it.
    private var mergeLayout: NormalizedSortKeys.Layout {
        NormalizedSortKeys.Layout(keys: keys, kinds: runKeyKinds, nullable: runKeyNullable)
    }

    /// Merges the first `mergeFanIn` runs into one new run (for inputs with more runs than can be merged at once).
    private func mergePass(types: [DataType], _ context: ExecutionContext) throws {
        let group = Array(runs.prefix(mergeFanIn))
        let merger = try SortedRunMerger(runs: group, sortKeys: keys, layout: mergeLayout, types: types, keyColumns: runKeyColumns,
                                         batchSize: SpillFile.rowsPerGroup)
        let file = try context.spill.newFile(types: types, purpose: "sort run")
        while let batch = try merger.next() {
            try context.progress.checkCancelled()
            try file.append(batch)
        }
        try file.finishWriting()
        statistics.add("merge_passes", 1)
        for run in group { run.delete() }
        // The merged run holds the earliest input, so it goes first: ties keep going to earlier input.
        runs = [file] + runs.dropFirst(mergeFanIn)
    }
}
