import Foundation
import Storage
import Execution
import Planner
import SQL

/// `information_schema.schemata`, `.tables`, `.columns` and `.views` (the SQL standard's catalog views, as
/// PostgreSQL, DuckDB and Trino offer them) over the lake's catalog and the session's TEMP tables and views.
/// Read when a query runs, so they show the catalog as of that statement.
enum InformationSchema {
    typealias Relation = (columns: [Field], factory: OperatorFactory)

    /// The catalog name these views report (`table_catalog`).
    static let catalogName = "tarn"

    static func relation(_ name: String, session: Session) throws -> Relation? {
        let lake = session.lake
        let temporaryTables = session.temporaryTables.values.map { ($0.name, $0.fields) }
        let temporaryViews = session.temporaryViews.map { ($0.key, $0.value.sql) }
        func text(_ names: [String]) -> [Field] { names.map { Field(name: $0, type: .varchar) } }
        switch name.lowercased() {
        case "schemata":
            let fields = text(["catalog_name", "schema_name", "schema_owner"])
            return (fields, OperatorFactory {
                let schemas = try lake.schemaNames() + (temporaryTables.isEmpty && temporaryViews.isEmpty ? [] : ["temp"])
                return IngestRelations.values(fields, schemas.sorted().map { [.varchar(catalogName), .varchar($0), .varchar("tarn")] })
            })
        case "tables":
            let fields = text(["table_catalog", "table_schema", "table_name", "table_type"])
            return (fields, OperatorFactory {
                var rows: [[Value]] = try lake.tableNames(schema: nil).map { [.varchar(catalogName), .varchar($0.schema), .varchar($0.name), .varchar("BASE TABLE")] }
                rows += try lake.viewNames(schema: nil).map { [.varchar(catalogName), .varchar($0.schema), .varchar($0.name), .varchar("VIEW")] }
                rows += temporaryTables.map { [.varchar(catalogName), .varchar("temp"), .varchar($0.0), .varchar("LOCAL TEMPORARY")] }
                rows += temporaryViews.map { [.varchar(catalogName), .varchar("temp"), .varchar($0.0), .varchar("VIEW")] }
                return IngestRelations.values(fields, rows)
            })
        case "columns":
            let fields = text(["table_catalog", "table_schema", "table_name", "column_name"]) + [Field(name: "ordinal_position", type: .integer)]
                + text(["column_default", "is_nullable", "data_type"])
                // PostgreSQL's further columns, as clients read them (Metabase: udt_schema, udt_name, is_identity).
                + ["character_maximum_length", "character_octet_length", "numeric_precision", "numeric_precision_radix",
                   "numeric_scale", "datetime_precision"].map { Field(name: $0, type: .integer) }
                + text(["character_set_catalog", "character_set_schema", "character_set_name", "collation_catalog",
                        "udt_catalog", "udt_schema", "udt_name", "is_identity", "is_generated", "is_updatable"])
            return (fields, OperatorFactory {
                var rows: [[Value]] = []
                func add(_ schema: String, _ table: String, _ columns: [Field]) {
                    for (i, f) in columns.enumerated() {
                        var precision: Value = .null, scale: Value = .null, radix: Value = .null, datetime: Value = .null
                        switch f.type {
                        case let .decimal(p, s): precision = .integer(Int32(p)); scale = .integer(Int32(s)); radix = .integer(10)
                        case .integer: precision = .integer(32); scale = .integer(0); radix = .integer(2)
                        case .bigint: precision = .integer(64); scale = .integer(0); radix = .integer(2)
                        case .double: precision = .integer(53); radix = .integer(2)
                        case .date: datetime = .integer(0)
                        case .timestamp, .timestampTZ: datetime = .integer(6)
                        default: break
                        }
                        let udt = PostgresOIDs.builtinTypes.first { $0.oid == PostgresOIDs.typeOID(of: f.type) }?.name ?? "text"
                        rows.append([.varchar(catalogName), .varchar(schema), .varchar(table), .varchar(f.name), .integer(Int32(i + 1)),
                                     .null, .varchar(f.nullable ? "YES" : "NO"), .varchar(f.type.description), .null,
                                     f.type == .varchar ? .integer(1_073_741_824) : .null, precision, radix, scale, datetime,
                                     .null, .null, .null, .null, .varchar(catalogName), .varchar("pg_catalog"), .varchar(udt), .varchar("NO"), .varchar("NEVER"),
                                     .varchar("YES")])
                    }
                }
                for t in try lake.tableNames(schema: nil) { add(t.schema, t.name, try lake.snapshot(of: t).schema.fields) }
                for v in try lake.viewNames(schema: nil) {
                    guard let columns = viewColumns(v, session: session) else { continue }
                    add(v.schema, v.name, columns)
                }
                for (name, columns) in temporaryTables { add("temp", name, columns) }
                return IngestRelations.values(fields, rows)
            })
        case "table_constraints":
            // Tarn has no constraints; the columns are the ones PostgreSQL clients join on (Metabase's primary keys).
            let fields = text(["constraint_catalog", "constraint_schema", "constraint_name", "table_catalog", "table_schema",
                               "table_name", "constraint_type", "is_deferrable", "initially_deferred", "enforced"])
            return (fields, OperatorFactory { IngestRelations.values(fields, []) })
        case "key_column_usage":
            let fields = text(["constraint_catalog", "constraint_schema", "constraint_name", "table_catalog", "table_schema",
                               "table_name", "column_name"]) + [Field(name: "ordinal_position", type: .integer),
                                                                Field(name: "position_in_unique_constraint", type: .integer)]
            return (fields, OperatorFactory { IngestRelations.values(fields, []) })
        case "views":
            let fields = text(["table_catalog", "table_schema", "table_name", "view_definition"])
            return (fields, OperatorFactory {
                var rows: [[Value]] = try lake.viewNames(schema: nil).map { v in
                    [.varchar(catalogName), .varchar(v.schema), .varchar(v.name), (try lake.view(v)).map { .varchar($0.sql) } ?? .null]
                }
                rows += temporaryViews.map { [.varchar(catalogName), .varchar("temp"), .varchar($0.0), .varchar($0.1)] }
                return IngestRelations.values(fields, rows)
            })
        default:
            return nil
        }
    }
}

extension InformationSchema {
    /// A view's columns are those its query gives, bound now (nil for a view that no longer binds).
    static func viewColumns(_ v: TableName, session: Session) -> [Field]? {
        guard let planned = try? QueryPlanner.plan(Query.selectAll(from: v), context: session.binderContext(session.settings)) else { return nil }
        let names = (try? session.lake.view(v))??.columnNames ?? []
        return planned.columns.enumerated().map { i, f in
            Field(name: i < names.count ? names[i] : f.name, type: f.type == .null ? .integer : f.type)
        }
    }
}

private extension Query {
    /// `SELECT * FROM schema.name`.
    static func selectAll(from table: TableName) -> Query {
        let select = Select(items: [.star(qualifier: nil, exclude: [], location: .unknown)],
                            from: [.table(QualifiedName([table.schema, table.name]), alias: nil, columnAliases: [], timeTravel: nil)])
        return Query(body: .select(select))
    }
}
