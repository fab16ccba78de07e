import XCTest
@testable import Connectors
import Storage

/// The SQL a source receives for IN lists and OR / AND of conditions on one column: an OR only when every
/// alternative can be sent, an AND with the parts that can.
final class SourcePredicateSQLTests: XCTestCase {
    let text = PostgresColumn(name: "customer", type: .text, declared: "text", isBpchar: false)
    let int = PostgresColumn(name: "id", type: .int8, declared: "bigint", isBpchar: false)
    let float = PostgresColumn(name: "f", type: .float8, declared: "double precision", isBpchar: false)

    func eq(_ v: Value, _ c: ColumnPredicate.Comparison = .equal) -> ColumnPredicate { ColumnPredicate(column: 0, comparison: c, value: v) }
    func any(_ ps: [ColumnPredicate]) -> ColumnPredicate { ColumnPredicate(column: 0, combining: .anyOf, ps) }
    func all(_ ps: [ColumnPredicate]) -> ColumnPredicate { ColumnPredicate(column: 0, combining: .allOf, ps) }

    func testPostgres() {
        XCTAssertEqual(SourcePredicateSQL.postgres(any([eq(.varchar("a")), eq(.varchar("it's"))]), text), #"("customer"::text) IN ('a', 'it''s')"#)
        XCTAssertEqual(SourcePredicateSQL.postgres(all([eq(.bigint(1), .notEqual), eq(.bigint(2), .notEqual)]), int), #""id" NOT IN (1, 2)"#)
        XCTAssertEqual(SourcePredicateSQL.postgres(all([eq(.varchar("x"), .notEqual), eq(.varchar("y"), .notEqual)]), text),
                       #"("customer"::text COLLATE "C") NOT IN ('x', 'y')"#, "<> must not be widened by a case-insensitive collation")
        XCTAssertEqual(SourcePredicateSQL.postgres(any([eq(.bigint(1), .less), all([eq(.bigint(5), .greater), eq(.bigint(9), .less)])]), int),
                       #"("id" < 1 OR ("id" > 5 AND "id" < 9))"#)
        XCTAssertEqual(SourcePredicateSQL.postgres(any([eq(.varchar("a"), .less), ColumnPredicate(column: 0, comparison: .isNull)]), text),
                       #"(("customer"::text COLLATE "C") < 'a' OR "customer" IS NULL)"#)
        // A NaN alternative cannot be sent, so neither can the OR; an AND keeps the part it can send.
        XCTAssertNil(SourcePredicateSQL.postgres(any([eq(.double(1.5)), eq(.double(.nan))]), float))
        XCTAssertEqual(SourcePredicateSQL.postgres(all([eq(.double(1.5), .greater), eq(.double(.infinity), .less)]), float), #""f" > '1.5'::float8"#)
    }

    func testMySQL() {
        let name = MySQLColumn(name: "customer", dataType: "varchar", columnType: "varchar(20)", precision: nil, scale: nil)
        XCTAssertEqual(SourcePredicateSQL.mysql(any([eq(.varchar("c7")), eq(.varchar("c8"))]), name), "`customer` IN ('c7', 'c8')")
        // `<>` under a case-insensitive collation would drop rows Tarn keeps: NOT IN on strings is not sent.
        XCTAssertNil(SourcePredicateSQL.mysql(all([eq(.varchar("c7"), .notEqual), eq(.varchar("c8"), .notEqual)]), name))
        let id = MySQLColumn(name: "id", dataType: "int", columnType: "int(11)", precision: 10, scale: 0)
        XCTAssertEqual(SourcePredicateSQL.mysql(any([eq(.integer(3), .lessOrEqual), eq(.integer(9), .greaterOrEqual)]), id), "(`id` <= 3 OR `id` >= 9)")
    }

    func testSecretParametersUnderlieTheDSN() {
        let dsn = ConnectionString("dbname=override", over: ["host": "db", "port": "5433", "user": "etl", "password": #"it's a\secret"#, "database": "ops"])
        XCTAssertEqual(dsn.parameters["dbname"], "override")
        XCTAssertEqual(dsn.parameters["password"], #"it's a\secret"#, "quotes and backslashes survive libpq's keyword quoting")
        XCTAssertEqual(dsn.redacted, "etl@db:5433/override")
        XCTAssertFalse(dsn.scrub("failed: " + dsn.raw).contains("secret"))
    }
}
