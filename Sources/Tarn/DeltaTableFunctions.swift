import Foundation
import Storage
import Execution
import Planner
import Transforms
import Parquet
import Delta

/// `delta_scan('dir' [, version => n | timestamp => '…'])`: a Delta Lake table at its latest version, at a
/// version, or at the version current at a time. The live data files are read by the Parquet scan, with the
/// partition columns from the log (in the schema's order) and files skipped by partition values.
enum DeltaTableFunctions {
    static func all() -> [TableFunctionDefinition] {
        [
            TableFunctionDefinition(name: "delta_scan") { call in
                guard call.positional.count == 1, case let .varchar(location) = call.positional[0] else {
                    throw TarnError.semantic("delta_scan('folder' [, version => n | timestamp => '…']) takes the table's folder")
                }
                var version: Int64?
                var timestamp: Int64?
                var batchRows = 8192
                for (key, value) in call.named {
                    switch key {
                    case "version":
                        guard let n = value.int64Value, value.dataType == .bigint || value.dataType == .integer else {
                            throw TarnError.semantic("delta_scan: version must be an integer")
                        }
                        version = n
                    case "timestamp":
                        switch value {
                        case let .timestamp(t), let .timestampTZ(t): timestamp = t
                        case let .date(d): timestamp = Int64(d) * 86_400_000_000
                        case let .varchar(text):
                            guard let t = ValueFormatting.parseTimestamp(Substring(text)) else {
                                throw TarnError.semantic("delta_scan: timestamp '\(text)' is not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff], UTC)")
                            }
                            timestamp = t
                        default: throw TarnError.semantic("delta_scan: timestamp must be a timestamp or a string")
                        }
                    case "batch_rows":
                        guard let n = value.int64Value, n >= 1, n <= 1 << 20 else {
                            throw TarnError.semantic("delta_scan: batch_rows must be between 1 and 1048576")
                        }
                        batchRows = Int(n)
                    default: throw TarnError.semantic("delta_scan: unknown option '\(key)' (version, timestamp, batch_rows)")
                    }
                }
                if version != nil && timestamp != nil { throw TarnError.semantic("delta_scan: give version or timestamp, not both") }
                let log = try DeltaLog(root: location)
                if let timestamp { version = try log.version(atTimestamp: timestamp) }
                let snapshot = try log.snapshot(version: version)
                let plan = try scanPlan(snapshot, batchRows: batchRows)
                return (plan.fields, ParquetTableFunctions.scanFactory(plan))
            },
        ]
    }

    /// The Parquet scan of a snapshot's files: the schema's non-partition columns read from the files by name
    /// (a file written before a column was added reads it as NULL), the partition columns from the log.
    static func scanPlan(_ snapshot: DeltaSnapshot, batchRows: Int) throws -> ParquetScanPlan {
        let fields = try snapshot.metadata.fields()
        let partitionNames = snapshot.metadata.partitionColumns
        for name in partitionNames where !fields.contains(where: { $0.name == name }) {
            throw TarnError.corruption("the Delta table \(snapshot.root): partition column '\(name)' is not in the schema")
        }
        var fileFields: [Field] = []
        var partitionFields: [Field] = []
        var order: [Int] = []
        for f in fields {
            let field = Field(name: f.name, type: try f.tarnType(), nullable: true)
            if partitionNames.contains(f.name) {
                partitionFields.append(field)
                order.append(-partitionFields.count)  // fixed below, once the file column count is known
            } else {
                order.append(fileFields.count)
                fileFields.append(field)
            }
        }
        order = order.map { $0 < 0 ? fileFields.count + (-$0 - 1) : $0 }
        var files: [SourceFile] = []
        var partitionValues: [[Value]] = []
        var statistics: [[Int: FileColumnStatistics]] = []
        for add in snapshot.files {
            statistics.append(add.stats.map { fileStatistics($0, fileFields) } ?? [:])
            let path = try snapshot.absolutePath(add)
            let relative = add.path.removingPercentEncoding ?? add.path
            files.append(SourceFile(path: path, relativePath: relative, displayPath: path, size: add.size, modifiedAt: 0))
            partitionValues.append(try partitionFields.map { field in
                // A key the add action leaves out is a NULL partition value.
                let text = add.partitionValues.first { $0.key == field.name }?.value ?? nil
                return try DeltaSnapshot.partitionValue(text, field.type)
            })
        }
        return ParquetScanPlan(files: files, fileFields: fileFields, partitionFields: partitionFields, partitionValues: partitionValues,
                               unionByName: true, batchRows: batchRows, columnOrder: order,
                               fileStatistics: statistics.contains { !$0.isEmpty } ? statistics : nil)
    }

    /// The `stats` JSON of an add action as statistics of the file columns it can be trusted for: integers, dates
    /// and timestamps (a timestamp maximum widened by a millisecond, as writers may truncate it to milliseconds).
    /// Strings (truncated to a prefix by writers), decimals and doubles are not used; unreadable stats are ignored.
    static func fileStatistics(_ json: String, _ fields: [Field]) -> [Int: FileColumnStatistics] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else { return [:] }
        let rows = (object["numRecords"] as? NSNumber)?.int64Value
        let mins = object["minValues"] as? [String: Any] ?? [:]
        let maxes = object["maxValues"] as? [String: Any] ?? [:]
        let nulls = object["nullCount"] as? [String: Any] ?? [:]
        var out: [Int: FileColumnStatistics] = [:]
        for (k, field) in fields.enumerated() {
            func value(_ any: Any?, widen: Bool) -> Value? {
                switch (field.type, any) {
                case let (.integer, n as NSNumber): return Int32(exactly: n.doubleValue).map { .integer($0) }
                case let (.bigint, n as NSNumber): return n.doubleValue == n.doubleValue.rounded() ? .bigint(n.int64Value) : nil
                case let (.date, s as String): return ValueFormatting.parseDate(Substring(s)).map { .date($0) }
                case let (.timestamp, s as String):
                    // UTC only: a zone offset other than Z is not trusted.
                    guard !s.dropFirst(10).contains("+"), !s.dropFirst(10).contains("-"),
                          let t = ValueFormatting.parseTimestamp(Substring(s)) else { return nil }
                    return .timestamp(widen ? t + 999 : t)
                default: return nil
                }
            }
            let nullCount = (nulls[field.name] as? NSNumber)?.int64Value
            let s = FileColumnStatistics(min: value(mins[field.name], widen: false), max: value(maxes[field.name], widen: true),
                                         nullCount: nullCount, rowCount: rows)
            if s.min != nil || s.max != nil || s.nullCount != nil { out[k] = s }
        }
        return out
    }
}
