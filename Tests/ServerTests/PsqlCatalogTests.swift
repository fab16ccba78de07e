import XCTest

/// psql 15's own catalog queries (captured with `psql -E`) must answer from the lake.
final class PsqlCatalogTests: ServerTestCase {
    static let listTables = """
        SELECT n.nspname as "Schema",
          c.relname as "Name",
          CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
          pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
        FROM pg_catalog.pg_class c
             LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
        WHERE c.relkind IN ('r','p','')
              AND n.nspname <> 'pg_catalog'
              AND n.nspname !~ '^pg_toast'
              AND n.nspname <> 'information_schema'
          AND pg_catalog.pg_table_is_visible(c.oid)
        ORDER BY 1,2;
        """

    static let findRelation = """
        SELECT c.oid,
          n.nspname,
          c.relname
        FROM pg_catalog.pg_class c
             LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default
          AND pg_catalog.pg_table_is_visible(c.oid)
        ORDER BY 2, 3;
        """

    static func columnsOf(_ oid: String) -> String {
        """
        SELECT a.attname,
          pg_catalog.format_type(a.atttypid, a.atttypmod),
          (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
           FROM pg_catalog.pg_attrdef d
           WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
          a.attnotnull,
          (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
           WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
          a.attidentity,
          a.attgenerated
        FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = '\(oid)' AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum;
        """
    }

    func testListTables() throws {
        let c = try connect()
        _ = try c.query("CREATE VIEW v AS SELECT id FROM t")
        let m = try c.query(Self.listTables)
        XCTAssertEqual(m[0].columns.map(\.name), ["Schema", "Name", "Type", "Owner"])
        XCTAssertEqual(m.filter { $0.type == "D" }.map(\.textValues), [["main", "t", "table", "alice"]], "views are not listed by \\dt")
    }

    func testDescribeTableColumns() throws {
        let c = try connect()
        let found = try c.query(Self.findRelation)
        let row = try XCTUnwrap(found.first { $0.type == "D" }).textValues
        XCTAssertEqual(Array(row.dropFirst()), ["main", "t"])
        let oid = try XCTUnwrap(row.first ?? nil)
        let columns = try c.query(Self.columnsOf(oid)).filter { $0.type == "D" }.map { Array($0.textValues.prefix(2)) }
        XCTAssertEqual(columns, [["id", "integer"], ["name", "text"], ["price", "numeric(10,2)"], ["d", "date"],
                                 ["ts", "timestamp without time zone"], ["ok", "boolean"], ["x", "double precision"], ["big", "bigint"]])
    }

    func testUnknownCatalogProbeAnswersNoRows() throws {
        let c = try connect()
        let m = try c.query("SELECT pol.polname FROM pg_catalog.pg_policy pol WHERE pol.polrelid = '16384' ORDER BY 1;")
        XCTAssertEqual(m.map(\.type), ["T", "C", "Z"])
    }
}
