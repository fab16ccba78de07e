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
    var batchRows: Int

    var fields: [Field] { fileFields + partitionFields }

    static func make(files: [SourceFile], unionByName: Bool, hivePartitioning: Bool, batchRows: Int) throws -> ParquetScanPlan {
        guard let first = files.first else { throw TarnError.io("read_parquet: no files") }
        var fileFields = try ParquetFile(path: first.path).schema().fields
        if unionByName {
            // Every footer is read now: the columns are the union, in order of first appearance.
            for f in files.dropFirst() {
                for field in try ParquetFile(path: f.path).schema().fields {
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
                               partitionValues: partitionValues, unionByName: unionByName, batchRows: batchRows)
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

/// Streams `read_parquet`'s files in order, each file's columns matched to the plan's by name, plus the
/// partition columns as constants. Every file is checked against all the plan's file columns, whichever
/// columns (`projection`, positions in `plan.fields`) the query reads.
final class ParquetScanOperator: PhysicalOperator {
    let plan: ParquetScanPlan
    let projection: [Int]
    let statistics = OperatorStatistics()
    private var fileIndex = 0
    private var current: (reader: ParquetReader, sources: [Source], file: Int)?
    private var context = ExecutionContext()

    /// Where an output column comes from for the current file.
    private enum Source {
        case read(Int)          // the reader's column at this position
        case nulls(DataType)    // a column the file does not have (union_by_name)
        case partition(Value, DataType)
    }

    init(plan: ParquetScanPlan, projection: [Int]) {
        self.plan = plan
        self.projection = projection
    }

    var outputTypes: [DataType] { projection.map { plan.fields[$0].type } }
    var children: [PhysicalOperator] { [] }
    var explainLine: String {
        "ParquetScan files=\(plan.files.count) columns=[\(projection.map { plan.fields[$0].name }.joined(separator: ", "))]"
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
                current = try openReader(fileIndex)
                fileIndex += 1
            }
            guard let (reader, sources, _) = current else { continue }
            if let batch = try reader.next() {
                let columns = sources.map { source -> Column in
                    switch source {
                    case let .read(k): return batch.columns[k]
                    case let .nulls(type): return Column.nulls(type, count: batch.count)
                    case let .partition(value, type): return Column.constant(value, type: type, count: batch.count)
                    }
                }
                statistics.add(rows: batch.count, nanos: 0)
                context.progress.scanned(rows: batch.count, bytes: 0)
                return Batch(columns: columns, count: batch.count)
            }
            current = nil
        }
    }

    private func openReader(_ index: Int) throws -> (ParquetReader, [Source], Int) {
        let source = plan.files[index]
        let file = try ParquetFile(path: source.path)
        let columns = try file.columns()
        let matched = try plan.fileFields.map { field -> ParquetColumn? in
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
        for p in projection {
            if p < plan.fileFields.count {
                if let c = matched[p] {
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
        return (try ParquetReader(file: file, columns: read, batchRows: plan.batchRows), sources, index)
    }

    func close() { current = nil }
}
