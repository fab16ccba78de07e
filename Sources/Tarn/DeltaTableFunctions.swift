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
                        case let .timestamp(t): timestamp = t
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
        for add in snapshot.files {
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
                               unionByName: true, batchRows: batchRows, columnOrder: order)
    }
}
