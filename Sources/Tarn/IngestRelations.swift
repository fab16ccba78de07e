import Foundation
import Storage
import Execution
import Planner
import Transforms

/// Relations the ingestion feature adds to queries: `tarn.loaded_files`, `rejects('t')`, the tables of
/// attached SQLite databases, and the file readers behind `read_json` / `read_csv`.
enum IngestRelations {
    typealias Relation = (columns: [Field], factory: OperatorFactory)

    static let loadedFilesColumns: [Field] = [
        Field(name: "table_name", type: .varchar), Field(name: "path", type: .varchar), Field(name: "size", type: .bigint),
        Field(name: "modified_at", type: .timestamp), Field(name: "content_hash", type: .varchar), Field(name: "version", type: .bigint),
        Field(name: "rows_loaded", type: .bigint), Field(name: "rows_rejected", type: .bigint), Field(name: "loaded_at", type: .timestamp),
    ]

    /// `tarn.loaded_files`: every file a COPY INTO loaded, for every table.
    static func loadedFiles(_ lake: Lake) -> Relation {
        (loadedFilesColumns, OperatorFactory {
            let rows: [[Value]] = try LoadCatalog.loadedFiles(lake, tableUUID: nil).map { f in
                [.varchar(f.tableName), .varchar(f.path), .bigint(f.size), .timestamp(f.modifiedAt), .varchar(f.contentHash),
                 .bigint(f.version), .bigint(f.rowsLoaded), .bigint(f.rowsRejected), .timestamp(f.loadedAt)]
            }
            return values(loadedFilesColumns, rows)
        })
    }

    static let rejectColumns: [Field] = [
        Field(name: "file", type: .varchar), Field(name: "line", type: .bigint), Field(name: "column", type: .varchar),
        Field(name: "raw", type: .varchar), Field(name: "reason", type: .varchar), Field(name: "version", type: .bigint),
    ]

    /// `rejects('t')`: the records COPY INTO did not load into `t`.
    static func rejects(_ lake: Lake, table: TableName) throws -> Relation {
        guard let uuid = try LoadCatalog.tableUUID(lake, table) else { throw TarnError.semantic("rejects: table '\(table)' does not exist") }
        return (rejectColumns, OperatorFactory {
            let rows: [[Value]] = try LoadCatalog.rejects(lake, tableUUID: uuid).map { r in
                [.varchar(r.path), .bigint(r.line), r.column.map { .varchar($0) } ?? .null, .varchar(r.raw), .varchar(r.reason), .bigint(r.version)]
            }
            return values(rejectColumns, rows)
        })
    }

    /// One table of an attached SQLite database.
    static func sqliteTable(_ source: SQLiteSource, _ table: String) throws -> Relation? {
        guard let fields = try source.columns(of: table) else { return nil }
        return (fields, OperatorFactory { SQLiteScanOperator(source: source, table: table, fields: fields) })
    }

    static func values(_ fields: [Field], _ rows: [[Value]]) -> PhysicalOperator {
        var builders = fields.map { ColumnBuilder(type: $0.type, capacity: rows.count) }
        for row in rows { for (i, v) in row.enumerated() where i < builders.count { builders[i].append(v) } }
        let batch = Batch(columns: builders.indices.map { builders[$0].finish() }, count: rows.count)
        return ValuesOperator(types: fields.map(\.type), batches: rows.isEmpty ? [] : [batch])
    }
}

extension Session {
    /// The relations reachable by `alias.name` outside the lake: attached databases, and `tarn.*`
    /// (`tarn.loaded_files`, `tarn.models`, `tarn.pipeline_runs`, `tarn.pipeline_drops`, `tarn.lineage`, `tarn.secrets`)
    /// unless a database is attached as `tarn`.
    /// Lineage labels of attached server tables: `ops.orders` is recorded as `postgres:ops.public.orders`.
    func externalLineage() -> [String: ExternalLineageLabel] {
        var out: [String: ExternalLineageLabel] = [:]
        for (alias, attached) in attachedDatabases {
            switch attached.source {
            case .sqlite: out[alias] = { name in "sqlite:\(alias).\(name)" }
            case .postgres: out[alias] = { name in RemoteDatabaseRelations.lineageLabel(kind: "postgres", alias: alias, name: name, defaultSchema: "public") }
            case let .mysql(_, database): out[alias] = { name in RemoteDatabaseRelations.lineageLabel(kind: "mysql", alias: alias, name: name, defaultSchema: database) }
            }
        }
        return out
    }

    func externalRelations() -> [String: ExternalRelationResolver] {
        var out: [String: ExternalRelationResolver] = [:]
        let lake = self.lake
        out["tarn"] = { [weak self] name in
            switch name.lowercased() {
            case "loaded_files": return IngestRelations.loadedFiles(lake)
            case "secrets": return self.map { SecretRelations.relation($0) }
            case "models": return MMMOutputFunctions.modelsRelation(lake)
            default: return try PipelineRelations.relation(lake, named: name)
            }
        }
        out["information_schema"] = { [unowned self] name in try InformationSchema.relation(name, session: self) }
        out["pg_catalog"] = { [unowned self] name in try PostgresCatalog.relation(name, session: self) }
        for (alias, attached) in attachedDatabases {
            switch attached.source {
            case let .sqlite(source): out[alias] = { name in try IngestRelations.sqliteTable(source, name) }
            case let .postgres(connection): out[alias] = { name in try RemoteDatabaseRelations.postgresRelation(connection, name) }
            case let .mysql(connection, database): out[alias] = { name in try RemoteDatabaseRelations.mysqlRelation(connection, database: database, name) }
            }
        }
        return out
    }
}
