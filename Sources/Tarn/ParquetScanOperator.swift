import Foundation
import Storage
import Execution
import Transforms
import Parquet

/// What `read_parquet` scans: the files, the columns read from them, and the hive partition columns their
/// paths give (`…/country=US/date=2024-05-20/part.parquet`).
struct ParquetScanPlan: Sendable {
    var files: [SourceFile]
    /// Columns read from the files: the first file's, or with `union_by_name` every file's by name.
    var fileFields: [Field]
    /// Partition columns, after the file columns.
    var partitionFields: [Field]
    /// `partitionValues[f][k]`: partition `k` of file `f` (NULL when its path does not name it).
    var partitionValues: [[Value]]
    /// A file may lack some of `fileFields` (they read as NULL).
    var unionByName: Bool
    /// File columns that are nested (LIST, MAP, STRUCT): listed (as VARCHAR) so that only a query selecting one
    /// fails, with this error; lower-cased name → the column's kind.
    var nestedColumns: [String: String] = [:]
    var batchRows: Int
    /// The output columns as positions in `storedFields` (delta_scan puts partition columns where the table's
    /// schema has them); nil keeps file columns, then partition columns.
    var columnOrder: [Int]? = nil
    /// Per file, statistics of file columns (by position in `fileFields`) that a table log records (Delta's
    /// `stats`), used to skip whole files without opening them; nil when there are none.
    var fileStatistics: [[Int: FileColumnStatistics]]? = nil

    /// File columns, then partition columns: what the operator's positions index.
    var storedFields: [Field] { fileFields + partitionFields }
    /// The columns the scan produces, in output order.
    var fields: [Field] { columnOrder.map { order in order.map { storedFields[$0] } } ?? storedFields }
    /// The stored position of output column `i`.
    func storedPosition(_ i: Int) -> Int { columnOrder?[i] ?? i }

    static func make(files: [SourceFile], unionByName: Bool, hivePartitioning: Bool, batchRows: Int) throws -> ParquetScanPlan {
        guard let first = files.first else { throw TarnError.io("read_parquet: no files") }
        var nestedColumns: [String: String] = [:]
        func fields(_ path: String) throws -> [Field] {
            let file = try ParquetFile(path: path)
            let topLevel = try file.topLevelColumns()
            let readable = topLevel.contains { if case .nested = $0 { return true } else { return false } } ? try file.nestedColumns() : []
            return topLevel.map { entry in
                switch entry {
                case let .flat(c): return c.field
                case let .nested(name, kind):
                    // A nested column Tarn reads has its ARRAY / MAP / ROW type; another is listed as VARCHAR.
                    if let found = readable.first(where: { $0.name == name }), case let .success(c) = found.column { return c.field }
                    nestedColumns[name.lowercased()] = kind
                    return Field(name: name, type: .varchar)
                }
            }
        }
        var fileFields = try fields(first.path)
        if unionByName {
            // Every footer is read now: the columns are the union, in order of first appearance.
            for f in files.dropFirst() {
                for field in try fields(f.path) {
                    if let existing = fileFields.first(where: { $0.name.lowercased() == field.name.lowercased() }) {
                        guard existing.type == field.type else {
                            throw TarnError.semantic("\(f.displayPath): column '\(field.name)' is \(field.type) where an earlier file has \(existing.type)")
                        }
                    } else {
                        fileFields.append(Field(name: field.name, type: field.type, nullable: true))
                    }
                }
            }
        }
        var partitionFields: [Field] = []
        var partitionValues = [[Value]](repeating: [], count: files.count)
        if hivePartitioning {
            let pairs = files.map { hivePairs($0.path) }
            var keys: [String] = []
            for p in pairs {
                for (key, _) in p where !keys.contains(key) && !fileFields.contains(where: { $0.name.lowercased() == key.lowercased() }) {
                    keys.append(key)
                }
            }
            for key in keys {
                let texts: [String?] = pairs.map { p in p.last(where: { $0.0 == key })?.1 ?? nil }
                let type = inferType(texts.compactMap { $0 })
                partitionFields.append(Field(name: key, type: type))
                for (f, text) in texts.enumerated() { partitionValues[f].append(text.map { value($0, type) } ?? .null) }
            }
        }
        return ParquetScanPlan(files: files, fileFields: fileFields, partitionFields: partitionFields,
                               partitionValues: partitionValues, unionByName: unionByName, nestedColumns: nestedColumns,
                               batchRows: batchRows)
    }

    /// The `key=value` folders of a path, outermost first, values percent-decoded; Hive's default partition is NULL.
    static func hivePairs(_ path: String) -> [(String, String?)] {
        var out: [(String, String?)] = []
        for segment in path.split(separator: "/").dropLast() {
            guard let eq = segment.firstIndex(of: "="), eq != segment.startIndex else { continue }
            let raw = String(segment[segment.index(after: eq)...])
            let value = raw.removingPercentEncoding ?? raw
            out.append((String(segment[..<eq]), value == "__HIVE_DEFAULT_PARTITION__" ? nil : value))
        }
        return out
    }

    /// BIGINT when every value is an integer, DATE when every value is a date, else VARCHAR.
    static func inferType(_ present: [String]) -> DataType {
        if present.isEmpty { return .varchar }
        if present.allSatisfy({ Int64($0) != nil }) { return .bigint }
        if present.allSatisfy({ $0.count == 10 && ValueFormatting.parseDate(Substring($0)) != nil }) { return .date }
        return .varchar
    }

    static func value(_ text: String?, _ type: DataType) -> Value {
        guard let text else { return .null }
        switch type {
        case .bigint: return Int64(text).map { .bigint($0) } ?? .null
        case .date: return ValueFormatting.parseDate(Substring(text)).map { .date($0) } ?? .null
        default: return .varchar(text)
        }
    }
}

/// One column's statistics for one file, as a table log (Delta's `stats`) records them; nil when unknown.
struct FileColumnStatistics: Sendable {
    var min: Value?
    var max: Value?
    var nullCount: Int64?
    var rowCount: Int64?
}

/// Streams `read_parquet`'s files in order, each file's columns matched to the plan's by name, plus the
/// partition columns as constants. Every file is checked against all the plan's file columns, whichever
/// columns (`projection`, positions in `plan.storedFields`) the query reads. As a `MorselSource` each row group
/// the statistics keep is a morsel, so an aggregation or join reads the files on every worker thread at once
/// (one row group per worker in memory).
final class ParquetScanOperator: PhysicalOperator, MorselSource {
    let plan: ParquetScanPlan
    let projection: [Int]
    /// Conjuncts of the filter above (columns are positions in `plan.storedFields`), used only to skip files and row
    /// groups that cannot hold a matching row; the filter still runs on every row returned.
    let predicates: [ColumnPredicate]
    let statistics = OperatorStatistics()
    private var fileIndex = 0
    private var current: (reader: ParquetReader, sources: [Source], file: Int)?
    private var context = ExecutionContext()
    /// Row groups to read in parallel (file slot in `morselFiles`, row group), from `prepareMorsels`.
    private var morsels: [(file: Int, rowGroup: Int)] = []
    private var morselFiles: [MorselFile] = []

    /// A file of the morsels: its path and matched columns, and the file itself while few files are read (more
    /// would hold too many descriptors open; those are reopened per row group).
    private struct MorselFile {
        let index: Int
        let file: ParquetFile?
        let read: [ParquetColumn]
        let nested: [ParquetNestedColumn]
        let sources: [Source]
        /// The predicates on the file's columns, for page skipping with the page index.
        let checks: [(ColumnPredicate, ParquetColumn)]
    }

    /// Where an output column comes from for the current file.
    private enum Source {
        case read(Int)          // the reader's column at this position
        case nulls(DataType)    // a column the file does not have (union_by_name)
        case partition(Value, DataType)
    }

    /// `projection` and the predicates' columns are positions in `plan.fields` (output order).
    init(plan: ParquetScanPlan, projection: [Int], predicates: [ColumnPredicate] = []) {
        self.plan = plan
        self.projection = projection.map(plan.storedPosition)
        self.predicates = predicates.map { $0.on(column: plan.storedPosition($0.column)) }
    }

    var outputTypes: [DataType] { projection.map { plan.storedFields[$0].type } }
    var children: [PhysicalOperator] { [] }
    var explainLine: String {
        var line = "\(plan.columnOrder == nil ? "ParquetScan" : "DeltaScan") files=\(plan.files.count) columns=[\(projection.map { plan.storedFields[$0].name }.joined(separator: ", "))]"
        if !predicates.isEmpty {
            line += " skip=[\(predicates.map { $0.rendered(plan.storedFields[$0.column].name) }.joined(separator: ", "))]"
        }
        return line
    }

    func open(_ context: ExecutionContext) throws {
        self.context = context
        fileIndex = 0
        current = nil
    }

    func next() throws -> Batch? {
        while true {
            try context.progress.checkCancelled()
            if current == nil {
                guard fileIndex < plan.files.count else { return nil }
                defer { fileIndex += 1 }
                if !partitionsMayMatch(fileIndex) || !fileStatisticsMayMatch(fileIndex) { statistics.add("files_skipped", 1); continue }
                current = try openReader(fileIndex)
                statistics.add("row_groups_total", current?.reader.file.metadata.rowGroups.count ?? 0)
            }
            guard let (reader, sources, _) = current else { continue }
            let start = DispatchTime.now().uptimeNanoseconds
            if let batch = try reader.next() {
                statistics.add(rows: batch.count, nanos: DispatchTime.now().uptimeNanoseconds &- start)
                context.progress.scanned(rows: batch.count, bytes: 0)
                return assemble(batch, sources)
            }
            statistics.add("row_groups_skipped", reader.skippedRowGroups)
            statistics.add("bytes_read", reader.bytesRead)
            current = nil
        }
    }

    /// False when a predicate on a partition column cannot hold for file `index`'s partition value.
    private func partitionsMayMatch(_ index: Int) -> Bool {
        for p in predicates where p.column >= plan.fileFields.count {
            let value = plan.partitionValues[index][p.column - plan.fileFields.count]
            if !p.evaluate({ Self.holds($0, value) }) { return false }
        }
        return true
    }

    /// Whether a simple predicate holds for one partition value (true when the value does not compare).
    private static func holds(_ p: ColumnPredicate, _ value: Value) -> Bool {
        switch p.comparison {
        case .isNull: return value.isNull
        case .isNotNull: return !value.isNull
        default:
            if value.isNull { return false }  // a comparison with NULL is never true
            guard let c = StatisticsFilter.compare(value, p.value) else { return true }
            switch p.comparison {
            case .equal: return c == 0
            case .notEqual: return c != 0
            case .less: return c < 0
            case .lessOrEqual: return c <= 0
            case .greater: return c > 0
            case .greaterOrEqual: return c >= 0
            case .isNull, .isNotNull, .anyOf, .allOf: return true
            }
        }
    }

    /// False when the log's statistics of file `index` rule out a predicate on a file column.
    private func fileStatisticsMayMatch(_ index: Int) -> Bool {
        guard let all = plan.fileStatistics, index < all.count else { return true }
        for p in predicates where p.column < plan.fileFields.count {
            guard let s = all[index][p.column] else { continue }
            if !p.evaluate({ Self.mayMatch($0, s) }) { return false }
        }
        return true
    }

    /// Whether a file whose log statistics are `s` may hold a row satisfying a simple predicate.
    private static func mayMatch(_ p: ColumnPredicate, _ s: FileColumnStatistics) -> Bool {
        let allNull = s.nullCount != nil && s.nullCount == s.rowCount
        switch p.comparison {
        case .isNull: return s.nullCount != 0
        case .isNotNull: return !allNull
        default:
            if allNull { return false }
            guard let lo = s.min, let hi = s.max, let vsLow = StatisticsFilter.compare(p.value, lo),
                  let vsHigh = StatisticsFilter.compare(p.value, hi) else { return true }
            switch p.comparison {
            case .equal: return vsLow >= 0 && vsHigh <= 0
            case .notEqual: return !(vsLow == 0 && vsHigh == 0)
            case .less: return vsLow > 0
            case .lessOrEqual: return vsLow >= 0
            case .greater: return vsHigh < 0
            case .greaterOrEqual: return vsHigh <= 0
            case .isNull, .isNotNull, .anyOf, .allOf: return true
            }
        }
    }

    private func openReader(_ index: Int) throws -> (ParquetReader, [Source], Int) {
        let (file, read, nested, sources, filter, _) = try openFile(index)
        return (try ParquetReader(file: file, columns: read, batchRows: plan.batchRows, rowGroupFilter: filter,
                                  parallel: context.settings.threads > 1, nested: nested), sources, index)
    }

    /// Opens file `index`: its columns matched to the plan's, where each output column comes from, the row-group
    /// filter its statistics give, and the predicates on its columns.
    private func openFile(_ index: Int) throws -> (ParquetFile, [ParquetColumn], [ParquetNestedColumn], [Source], ((Int) -> Bool)?, [(ColumnPredicate, ParquetColumn)]) {
        let source = plan.files[index]
        let file = try ParquetFile(path: source.path)
        let topLevel = try file.topLevelColumns()
        // A nested column is read into ARRAY / MAP / ROW when Tarn can assemble it; otherwise it is an error only
        // when the query reads it.
        let nestedInFile = topLevel.contains { if case .nested = $0 { return true } else { return false } } ? try file.nestedColumns() : []
        var nestedRead: [Int: ParquetNestedColumn] = [:]  // position in fileFields → column
        for p in projection where p < plan.fileFields.count {
            let field = plan.fileFields[p]
            let name = field.name.lowercased()
            for case let .nested(n, kind) in topLevel where n.lowercased() == name {
                switch nestedInFile.first(where: { $0.name == n })?.column {
                case let .success(c)?:
                    guard c.field.type == field.type else {
                        throw TarnError.semantic("\(source.displayPath): column '\(field.name)' is \(c.field.type) where the first file has \(field.type)")
                    }
                    nestedRead[p] = c
                case let .failure(error)?:
                    throw TarnError(error.kind, "\(source.displayPath): \(ParquetColumn.TopLevelColumn.nestedError(n, kind).message): \(error.message)")
                case nil:
                    throw TarnError(ParquetColumn.TopLevelColumn.nestedError(n, kind).kind,
                                    "\(source.displayPath): \(ParquetColumn.TopLevelColumn.nestedError(n, kind).message)")
                }
            }
        }
        let columns = topLevel.compactMap { entry -> ParquetColumn? in
            if case let .flat(c) = entry { return c }
            return nil
        }
        let projected = Set(projection)
        let matched = try plan.fileFields.enumerated().map { position, field -> ParquetColumn? in
            if nestedRead[position] != nil { return nil }
            if plan.nestedColumns[field.name.lowercased()] != nil && !projected.contains(position) { return nil }
            if topLevel.contains(where: { if case let .nested(n, _) = $0 { return n.lowercased() == field.name.lowercased() } else { return false } }),
               !projected.contains(position) { return nil }
            guard let c = columns.first(where: { $0.field.name.lowercased() == field.name.lowercased() }) else {
                if plan.unionByName { return nil }
                throw TarnError.semantic("\(source.displayPath) has no column '\(field.name)' (read_parquet takes its columns from the first file; union_by_name => true reads it as NULL)")
            }
            guard c.field.type == field.type else {
                throw TarnError.semantic("\(source.displayPath): column '\(field.name)' is \(c.field.type) where the first file has \(field.type)")
            }
            return c
        }
        var read: [ParquetColumn] = []
        var sources: [Source] = []
        var nestedPositions: [Int] = []  // sources that read a nested column: filled in after the flat ones
        var nested: [ParquetNestedColumn] = []
        for p in projection {
            if p < plan.fileFields.count {
                if let c = nestedRead[p] {
                    nestedPositions.append(sources.count)
                    sources.append(.read(nested.count))
                    nested.append(c)
                } else if let c = matched[p] {
                    sources.append(.read(read.count))
                    read.append(c)
                } else {
                    sources.append(.nulls(plan.fileFields[p].type))
                }
            } else {
                let k = p - plan.fileFields.count
                sources.append(.partition(plan.partitionValues[index][k], plan.partitionFields[k].type))
            }
        }
        // The reader gives the nested columns after the flat ones.
        for k in nestedPositions { if case let .read(j) = sources[k] { sources[k] = .read(read.count + j) } }
        // Row groups whose statistics rule out a predicate on a file column are never read.
        let fileGroups = file.metadata.rowGroups
        let checks: [(ColumnPredicate, ParquetColumn)] = predicates.compactMap { p in
            p.column < plan.fileFields.count ? matched[p.column].map { (p, $0) } : nil
        }
        let filter: ((Int) -> Bool)? = checks.isEmpty ? nil : { g in
            let group = fileGroups[g]
            return checks.allSatisfy { p, c in
                c.index < group.columns.count
                    ? StatisticsFilter.mayMatch(p, column: c, statistics: group.columns[c.index].metaData?.statistics, rows: group.numRows)
                    : true
            }
        }
        return (file, read, nested, sources, filter, checks)
    }

    /// The output columns of a batch of the file's `read` columns.
    private func assemble(_ batch: Batch, _ sources: [Source]) -> Batch {
        let columns = sources.map { source -> Column in
            switch source {
            case let .read(k): return batch.columns[k]
            case let .nulls(type): return Column.nulls(type, count: batch.count)
            case let .partition(value, type): return Column.constant(value, type: type, count: batch.count)
            }
        }
        return Batch(columns: columns, count: batch.count)
    }

    // MARK: morsels

    var sourceExpressions: [BoundExpression] { [] }

    /// Most files kept open between `prepareMorsels` and the last `readMorsel`.
    static let openFileLimit = 64

    func prepareMorsels(_ context: ExecutionContext) throws -> Int {
        self.context = context
        morsels = []
        morselFiles = []
        let keepOpen = plan.files.count <= Self.openFileLimit
        for index in plan.files.indices {
            try context.progress.checkCancelled()
            if !partitionsMayMatch(index) || !fileStatisticsMayMatch(index) { statistics.add("files_skipped", 1); continue }
            let (file, read, nested, sources, filter, checks) = try openFile(index)
            let groups = file.metadata.rowGroups
            statistics.add("row_groups_total", groups.count)
            var skipped = 0
            for g in groups.indices where groups[g].numRows > 0 {
                if let filter, !filter(g) { skipped += 1; continue }
                morsels.append((morselFiles.count, g))
                context.progress.expect(rows: Int(groups[g].numRows))
            }
            statistics.add("row_groups_skipped", skipped)
            morselFiles.append(MorselFile(index: index, file: keepOpen ? file : nil, read: read, nested: nested, sources: sources, checks: checks))
        }
        return morsels.count
    }

    func readMorsel(_ index: Int, _ context: ExecutionContext) throws -> Batch {
        let start = DispatchTime.now().uptimeNanoseconds
        let (slot, rowGroup) = morsels[index]
        let entry = morselFiles[slot]
        let file = try entry.file ?? ParquetFile(path: plan.files[entry.index].path)
        let rows = Int(file.metadata.rowGroups[rowGroup].numRows)
        let batch: Batch, bytes: Int
        // The page index (where the file has one) narrows the row group to the pages that may hold a match.
        if !entry.checks.isEmpty, entry.nested.isEmpty, let ranges = file.pageRowRanges(rowGroup: rowGroup, predicates: entry.checks),
           case let kept = ranges.reduce(0, { $0 + $1.count }), kept < rows {
            statistics.add("rows_skipped_by_page_index", rows - kept)
            (batch, bytes) = try file.rowGroupBatch(rowGroup, columns: entry.read, rows: ranges)
        } else {
            (batch, bytes) = try file.rowGroupBatch(rowGroup, columns: entry.read, nested: entry.nested)
        }
        statistics.add("bytes_read", bytes)
        statistics.add(rows: batch.count, nanos: DispatchTime.now().uptimeNanoseconds &- start)
        context.progress.scanned(rows: batch.count, bytes: bytes)
        return assemble(batch, entry.sources)
    }

    func close() {
        current = nil
        morsels = []
        morselFiles = []
    }
}
