import Storage
import Execution
import Planner
import Transforms
import Parquet

/// `read_parquet(path | glob | folder [, union_by_name => bool] [, hive_partitioning => bool] [, batch_rows => n])`,
/// `parquet_schema(path)` and `parquet_metadata(path)`.
enum ParquetTableFunctions {
    static func all() -> [TableFunctionDefinition] {
        [
            TableFunctionDefinition(name: "read_parquet") { call in
                let (files, _) = try resolve(call, "read_parquet")
                var batchRows = 8192
                var unionByName = false, hivePartitioning = false
                for (key, value) in call.named {
                    switch key {
                    case "batch_rows": guard let n = value.int64Value, n >= 1, n <= 1 << 20 else {
                            throw TarnError.semantic("read_parquet: batch_rows must be between 1 and 1048576")
                        }
                        batchRows = Int(n)
                    case "union_by_name": unionByName = try flag(value, key)
                    case "hive_partitioning": hivePartitioning = try flag(value, key)
                    default: throw TarnError.semantic("read_parquet: unknown option '\(key)' (batch_rows, union_by_name, hive_partitioning)")
                    }
                }
                let plan = try ParquetScanPlan.make(files: files, unionByName: unionByName, hivePartitioning: hivePartitioning,
                                                    batchRows: batchRows)
                return (plan.fields, scanFactory(plan))
            },
            TableFunctionDefinition(name: "parquet_schema") { call in
                let (files, _) = try resolve(call, "parquet_schema")
                let fields = schemaFields
                var builders = fields.map { ColumnBuilder(type: $0.type) }
                for f in files {
                    let file = try ParquetFile(path: f.path)
                    for e in file.metadata.schema {
                        let tarnType = (try? ParquetColumn(index: 0, element: e))?.field.type.description
                        let row: [Value] = [
                            .varchar(f.displayPath), .varchar(e.name), text(e.type?.description ?? e.rawType.map { "#\($0)" }),
                            int(e.typeLength), text(e.repetition?.description), int(e.numChildren),
                            text(e.convertedType.map { "\($0)".uppercased() }), int(e.scale), int(e.precision), int(e.fieldId),
                            text(e.logicalType?.description), text(e.isGroup ? nil : tarnType),
                        ]
                        for (k, v) in row.enumerated() { builders[k].append(v) }
                    }
                }
                return values(fields, &builders)
            },
            TableFunctionDefinition(name: "parquet_metadata") { call in
                let (files, _) = try resolve(call, "parquet_metadata")
                let fields = metadataFields
                var builders = fields.map { ColumnBuilder(type: $0.type) }
                for f in files {
                    let file = try ParquetFile(path: f.path)
                    // Statistics are shown in the column's Tarn type when the schema maps (flat files).
                    let columns = (try? file.columns()) ?? []
                    for (g, group) in file.metadata.rowGroups.enumerated() {
                        for (c, chunk) in group.columns.enumerated() {
                            let m = chunk.metaData
                            let column = c < columns.count ? columns[c] : nil
                            func stat(_ bytes: [UInt8]?) -> Value {
                                guard let bytes, let column, let v = column.statisticValue(bytes), v != .null else { return .null }
                                return .varchar(v.description)
                            }
                            let row: [Value] = [
                                .varchar(f.displayPath), .bigint(Int64(g)), .bigint(group.numRows), .bigint(Int64(group.columns.count)),
                                .bigint(Int64(c)), text(m.map { $0.pathInSchema.joined(separator: ".") }),
                                text(m.map { PhysicalKind(rawValue: $0.rawType)?.description ?? "#\($0.rawType)" }),
                                m.map { .bigint($0.numValues) } ?? .null,
                                text(m.map { $0.codec?.description ?? "#\($0.rawCodec)" }),
                                text(m.map { $0.encodings.map(Encoding.name).joined(separator: ", ") }),
                                stat(m?.statistics?.minValue ?? m?.statistics?.min), stat(m?.statistics?.maxValue ?? m?.statistics?.max),
                                m?.statistics?.nullCount.map { .bigint($0) } ?? .null,
                                m?.dictionaryPageOffset.map { .bigint($0) } ?? .null,
                                m.map { .bigint($0.dataPageOffset) } ?? .null,
                                m.map { .bigint($0.totalCompressedSize) } ?? .null,
                                m.map { .bigint($0.totalUncompressedSize) } ?? .null,
                            ]
                            for (k, v) in row.enumerated() { builders[k].append(v) }
                        }
                    }
                }
                return values(fields, &builders)
            },
        ]
    }

    /// The scan of all the plan's columns; projection pushdown narrows it to the columns a query uses.
    /// Filters above it hand it their `column op constant` conjuncts, with which it skips row groups by their
    /// statistics and files by their partition values.
    static func scanFactory(_ plan: ParquetScanPlan, projection: [Int]? = nil, predicates: [ColumnPredicate] = []) -> OperatorFactory {
        let projection = projection ?? Array(plan.fields.indices)
        return OperatorFactory({ ParquetScanOperator(plan: plan, projection: projection, predicates: predicates) }, project: { keep in
            scanFactory(plan, projection: keep.map { projection[$0] }, predicates: predicates)
        }, filter: { more in
            // Predicate columns are positions among this scan's outputs; the operator wants positions in plan.fields.
            let mapped = more.map { $0.on(column: projection[$0.column]) }
            return scanFactory(plan, projection: projection, predicates: predicates + mapped)
        })
    }

    private static func flag(_ value: Value, _ name: String) throws -> Bool {
        guard case let .boolean(b) = value else { throw TarnError.semantic("read_parquet: \(name) must be true or false") }
        return b
    }

    /// The files of the first argument: a path, glob or folder, or `ARRAY[…]` of them (in that order, each file once).
    private static func resolve(_ call: TableFunctionCall, _ name: String) throws -> ([SourceFile], String) {
        let locations: [String]
        if call.positional.count == 1, case let .varchar(location) = call.positional[0] {
            locations = [location]
        } else if call.positional.isEmpty, let items = call.arrays["#0"], !items.isEmpty {
            locations = try items.map { item in
                guard case let .varchar(location) = item else { throw TarnError.semantic("\(name): ARRAY[…] takes paths (strings)") }
                return location
            }
        } else {
            throw TarnError.semantic("\(name)(path_or_glob_or_folder | ARRAY[paths]) takes one path or an array of paths")
        }
        var files: [SourceFile] = []
        var seen = Set<String>()
        for location in locations {
            let found = try SourceFile.resolve(location, extensions: ["parquet", "parq"])
            guard !found.isEmpty else { throw TarnError.io("\(name): no files match \(location)") }
            for f in found where seen.insert(f.path).inserted { files.append(f) }
        }
        return (files, locations.joined(separator: ", "))
    }

    private static func text(_ s: String?) -> Value { s.map { .varchar($0) } ?? .null }
    private static func int(_ i: Int32?) -> Value { i.map { .bigint(Int64($0)) } ?? .null }

    private static func values(_ fields: [Field], _ builders: inout [ColumnBuilder]) -> (columns: [Field], factory: OperatorFactory) {
        let columns = builders.indices.map { builders[$0].finish() }
        let batch = Batch(columns: columns)
        return (fields, OperatorFactory { ValuesOperator(types: fields.map(\.type), batches: batch.count > 0 ? [batch] : []) })
    }

    static let schemaFields: [Field] = [
        Field(name: "file_name", type: .varchar), Field(name: "name", type: .varchar), Field(name: "type", type: .varchar),
        Field(name: "type_length", type: .bigint), Field(name: "repetition_type", type: .varchar), Field(name: "num_children", type: .bigint),
        Field(name: "converted_type", type: .varchar), Field(name: "scale", type: .bigint), Field(name: "precision", type: .bigint),
        Field(name: "field_id", type: .bigint), Field(name: "logical_type", type: .varchar), Field(name: "tarn_type", type: .varchar),
    ]

    static let metadataFields: [Field] = [
        Field(name: "file_name", type: .varchar), Field(name: "row_group_id", type: .bigint), Field(name: "row_group_num_rows", type: .bigint),
        Field(name: "row_group_num_columns", type: .bigint), Field(name: "column_id", type: .bigint), Field(name: "path_in_schema", type: .varchar),
        Field(name: "type", type: .varchar), Field(name: "num_values", type: .bigint), Field(name: "compression", type: .varchar),
        Field(name: "encodings", type: .varchar), Field(name: "stats_min", type: .varchar), Field(name: "stats_max", type: .varchar),
        Field(name: "stats_null_count", type: .bigint),
        Field(name: "dictionary_page_offset", type: .bigint), Field(name: "data_page_offset", type: .bigint),
        Field(name: "total_compressed_size", type: .bigint), Field(name: "total_uncompressed_size", type: .bigint),
    ]
}
