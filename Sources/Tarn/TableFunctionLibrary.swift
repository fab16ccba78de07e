import Storage
import Planner
import Transforms

/// The table functions a session can call in FROM, beyond the planner's built-in series functions:
/// `read_json`, `read_csv` (and `_auto` aliases), `sqlite_scan`, `generate_campaigns`, `rejects`, `loaded_files`.
enum TableFunctionLibrary {
    static func all(database: Database) -> [TableFunctionDefinition] {
        let lake = database.lake
        return [
            fileReader("read_json", .json), fileReader("read_json_auto", .json), fileReader("read_ndjson", .json),
            fileReader("read_csv", .csv), fileReader("read_csv_auto", .csv),
            TableFunctionDefinition(name: "sqlite_scan") { call in
                guard call.positional.count == 2, case let .varchar(path) = call.positional[0], case let .varchar(table) = call.positional[1] else {
                    throw TarnError.semantic("sqlite_scan(database_file, table) takes two strings")
                }
                let source = try SQLiteSource(path: path)
                guard let relation = try IngestRelations.sqliteTable(source, table) else {
                    throw TarnError.semantic("the SQLite database \(path) has no table '\(table)' (tables: \(((try? source.tableNames()) ?? []).joined(separator: ", ")))")
                }
                return relation
            },
            TableFunctionDefinition(name: "generate_campaigns") { call in
                guard let rows = call.positional.first?.int64Value, rows >= 0 else {
                    throw TarnError.semantic("generate_campaigns(rows [, seed => n] [, clean => bool] [, days => n]) needs a row count")
                }
                var options = CampaignGenerator.Options()
                for (key, value) in call.named {
                    switch key {
                    case "seed": guard let s = value.int64Value else { throw TarnError.semantic("generate_campaigns: seed must be an integer") }
                        options.seed = UInt64(bitPattern: s)
                    case "clean": guard case let .boolean(b) = value else { throw TarnError.semantic("generate_campaigns: clean must be true or false") }
                        options.clean = b
                    case "days": guard let d = value.int64Value, d >= 1 else { throw TarnError.semantic("generate_campaigns: days must be ≥ 1") }
                        options.days = Int(d)
                    default: throw TarnError.semantic("generate_campaigns: unknown option '\(key)' (seed, clean, days)")
                    }
                }
                let generator = CampaignGenerator(options: options)
                return (CampaignGenerator.schema.fields, OperatorFactory { CampaignScanOperator(generator: generator, rows: Int(rows)) })
            },
            TableFunctionDefinition(name: "rejects") { call in
                guard call.positional.count == 1, case let .varchar(name) = call.positional[0] else {
                    throw TarnError.semantic("rejects('table') takes a table name")
                }
                let parts = name.split(separator: ".").map(String.init)
                let table = parts.count == 2 ? TableName(schema: parts[0], name: parts[1]) : TableName(name: name)
                return try IngestRelations.rejects(lake, table: table)
            },
            TableFunctionDefinition(name: "loaded_files") { _ in IngestRelations.loadedFiles(lake) },
            ChangeFeedFunction.definition(lake: lake),
        ] + MMMTableFunctions.all(database: database) + ParquetTableFunctions.all() + DeltaTableFunctions.all()
            + RemoteDatabaseRelations.tableFunctions()
    }

    /// `read_json(path_or_glob, …)` / `read_csv(path_or_glob, …)`: columns inferred from a sample (or given).
    private static func fileReader(_ name: String, _ defaultFormat: IngestFormat) -> TableFunctionDefinition {
        TableFunctionDefinition(name: name) { call in
            guard call.positional.count == 1, case let .varchar(location) = call.positional[0] else {
                throw TarnError.semantic("\(name)(path_or_glob, option => value, …) takes one path")
            }
            var named = call.named
            if let columns = call.arrays["columns"] { named["columns"] = .varchar(columns.map(\.description).joined(separator: ", ")) }
            var options = try IngestOptions.parse(named)
            let format = options.format ?? defaultFormat
            options.format = format
            let files = try SourceFile.resolve(location, extensions: format.extensions)
            guard !files.isEmpty else { throw TarnError.io("\(name): no files match \(location)") }
            let schema = try options.columns ?? SchemaSampler.infer(files: files, format: format, options: options)
            return (schema.fields, OperatorFactory { FileScanOperator(files: files, format: format, schema: schema, options: options) })
        }
    }
}
