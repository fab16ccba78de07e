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
            return (fields, OperatorFactory {
                var rows: [[Value]] = []
                func add(_ schema: String, _ table: String, _ columns: [Field]) {
                    for (i, f) in columns.enumerated() {
                        rows.append([.varchar(catalogName), .varchar(schema), .varchar(table), .varchar(f.name), .integer(Int32(i + 1)),
                                     .null, .varchar(f.nullable ? "YES" : "NO"), .varchar(f.type.description)])
                    }
                }
                for t in try lake.tableNames(schema: nil) { add(t.schema, t.name, try lake.snapshot(of: t).schema.fields) }
                for v in try lake.viewNames(schema: nil) {
                    // A view's columns are those its query gives, bound now (a view that no longer binds shows none).
                    guard let planned = try? QueryPlanner.plan(Query.selectAll(from: v), context: session.binderContext(session.settings)) else { continue }
                    let names = try lake.view(v)?.columnNames ?? []
                    add(v.schema, v.name, planned.columns.enumerated().map { i, f in
                        Field(name: i < names.count ? names[i] : f.name, type: f.type == .null ? .integer : f.type)
                    })
                }
                for (name, columns) in temporaryTables { add("temp", name, columns) }
                return IngestRelations.values(fields, rows)
            })
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

private extension Query {
    /// `SELECT * FROM schema.name`.
    static func selectAll(from table: TableName) -> Query {
        let select = Select(items: [.star(qualifier: nil, exclude: [], location: .unknown)],
                            from: [.table(QualifiedName([table.schema, table.name]), alias: nil, columnAliases: [], timeTravel: nil)])
        return Query(body: .select(select))
    }
}
