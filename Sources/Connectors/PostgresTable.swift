import Foundation
import Storage

/// A table (or view) of an attached PostgreSQL database: where it is, its columns, and its size as the
/// planner statistics last saw it (for choosing parallel ranges).
public struct PostgresTable: Sendable {
    public var dsn: ConnectionString
    public var schema: String
    public var name: String
    public var columns: [PostgresColumn]
    /// The table's size in pages (`pg_relation_size / block_size`); 0 for a view.
    public var pages: Int64
    /// True for an ordinary table (read by ctid ranges in parallel); false for a view.
    public var isPlainTable: Bool

    public var fields: [Field] { columns.map { Field(name: $0.name, type: $0.type.tarnType) } }
    /// `schema.table`, quoted for PostgreSQL.
    public var quotedName: String { PostgresConnection.quote(schema) + "." + PostgresConnection.quote(name) }
    /// `alias.schema.table`-style label without credentials, e.g. for lineage: `schema.table`.
    public var displayName: String { "\(schema).\(name)" }

    /// Looks the table up; nil when the schema has no such table or view.
    public static func describe(_ connection: PostgresConnection, schema: String, table: String) throws -> PostgresTable? {
        let rels = try connection.query("""
            SELECT c.oid::int8, c.relkind::text, (pg_relation_size(c.oid) / current_setting('block_size')::int8)::int8 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
            """, [schema, table])
        guard let rel = rels.first, let oid = rel[0] else { return nil }
        let rows = try connection.query("""
            SELECT a.attname::text, a.atttypid::int8, a.atttypmod::int8, format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, [oid])
        let columns = rows.map { r -> PostgresColumn in
            let oid = Int(r[1] ?? "") ?? 0
            return PostgresColumn(name: r[0] ?? "?", type: PostgresColumnType(oid: oid, typmod: Int(r[2] ?? "") ?? -1),
                                  declared: r[3] ?? "", isBpchar: oid == 1042)
        }
        return PostgresTable(dsn: connection.dsn, schema: schema, name: table, columns: columns,
                             pages: Int64(rel[2] ?? "") ?? 0, isPlainTable: rel[1] == "r")
    }

    /// The schemas' tables, for error messages that list what exists.
    public static func tableNames(_ connection: PostgresConnection, schema: String) throws -> [String] {
        try connection.query("""
            SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'p', 'f') ORDER BY 1
            """, [schema]).compactMap { $0.first ?? nil }
    }
}
