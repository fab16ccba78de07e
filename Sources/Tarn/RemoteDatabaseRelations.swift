import Foundation
import Storage
import Planner
import Connectors

/// The relations of attached PostgreSQL and MySQL databases and the `postgres_scan` / `mysql_scan` table
/// functions. Each relation's factory pushes the projection and the filter's simple conjuncts into the source's
/// SELECT (`OperatorFactory.project` / `.filter`); EXPLAIN shows the SQL sent.
enum RemoteDatabaseRelations {
    typealias Relation = (columns: [Field], factory: OperatorFactory)

    static func postgresTable(_ table: PostgresTable) -> Relation {
        func factory(_ projection: [Int], _ predicates: [ColumnPredicate]) -> OperatorFactory {
            OperatorFactory({ PostgresScanOperator(table: table, projection: projection, predicates: predicates) },
                            project: { keep in factory(keep.map { projection[$0] }, []) },
                            filter: { more in
                                factory(projection, predicates + more.map { $0.on(column: projection[$0.column]) })
                            })
        }
        return (table.fields, factory(Array(table.columns.indices), []))
    }

    static func mysqlTable(_ table: MySQLTable) -> Relation {
        func factory(_ projection: [Int], _ predicates: [ColumnPredicate]) -> OperatorFactory {
            OperatorFactory({ MySQLScanOperator(table: table, projection: projection, predicates: predicates) },
                            project: { keep in factory(keep.map { projection[$0] }, []) },
                            filter: { more in
                                factory(projection, predicates + more.map { $0.on(column: projection[$0.column]) })
                            })
        }
        return (table.fields, factory(Array(table.columns.indices), []))
    }

    /// `name` is `table` (schema `public`) or `schema.table` (a three-part name `ops.schema.table`).
    static func postgresRelation(_ connection: PostgresConnection, _ name: String) throws -> Relation? {
        let (schema, table) = splitName(name, defaultSchema: "public")
        guard let described = try PostgresTable.describe(connection, schema: schema, table: table) else { return nil }
        return postgresTable(described)
    }

    static func mysqlRelation(_ connection: MySQLConnection, database: String, _ name: String) throws -> Relation? {
        let (db, table) = splitName(name, defaultSchema: database)
        guard let described = try MySQLTable.describe(connection, database: db, table: table) else { return nil }
        return mysqlTable(described)
    }

    static func splitName(_ name: String, defaultSchema: String) -> (String, String) {
        guard let dot = name.firstIndex(of: ".") else { return (defaultSchema, name) }
        return (String(name[..<dot]), String(name[name.index(after: dot)...]))
    }

    /// The source label lineage records: `postgres:ops.public.orders` (alias, schema, table; no credentials).
    static func lineageLabel(kind: String, alias: String, name: String, defaultSchema: String) -> String {
        let (schema, table) = splitName(name, defaultSchema: defaultSchema)
        return "\(kind):\(alias).\(schema).\(table)"
    }

    static func tableFunctions() -> [TableFunctionDefinition] {
        [
            TableFunctionDefinition(name: "postgres_scan") { call in
                let texts = call.positional.compactMap { v -> String? in if case let .varchar(s) = v { return s } else { return nil } }
                guard texts.count == call.positional.count, texts.count == 2 || texts.count == 3 else {
                    throw TarnError.semantic("postgres_scan(dsn, schema, table) takes three strings (or dsn, table)")
                }
                let dsn = ConnectionString(texts[0])
                let connection = try PostgresConnection(dsn)
                let schema = texts.count == 3 ? texts[1] : "public", table = texts[texts.count - 1]
                guard let described = try PostgresTable.describe(connection, schema: schema, table: table) else {
                    throw TarnError.semantic(missing("PostgreSQL \(dsn.redacted)", schema, table, (try? PostgresTable.tableNames(connection, schema: schema)) ?? []))
                }
                return postgresTable(described)
            },
            TableFunctionDefinition(name: "mysql_scan") { call in
                let texts = call.positional.compactMap { v -> String? in if case let .varchar(s) = v { return s } else { return nil } }
                guard texts.count == call.positional.count, texts.count == 2 || texts.count == 3 else {
                    throw TarnError.semantic("mysql_scan(dsn, table) takes two strings (or dsn, database, table)")
                }
                let dsn = ConnectionString(texts[0])
                let connection = try MySQLConnection(dsn)
                let database = texts.count == 3 ? texts[1] : (try MySQLTable.currentDatabase(connection) ?? "")
                let table = texts[texts.count - 1]
                guard let described = try MySQLTable.describe(connection, database: database, table: table) else {
                    throw TarnError.semantic(missing("MySQL \(dsn.redacted)", database, table, []))
                }
                return mysqlTable(described)
            },
        ]
    }

    static func missing(_ server: String, _ schema: String, _ table: String, _ existing: [String]) -> String {
        var text = "\(server) has no table \(schema).\(table)"
        if !existing.isEmpty { text += " (tables in \(schema): \(existing.prefix(20).joined(separator: ", ")))" }
        return text
    }
}
