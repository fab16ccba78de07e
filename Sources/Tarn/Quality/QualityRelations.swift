import Foundation
import Storage
import Execution
import Planner

/// The SQL views of the quality records: `violations('t')`, `dropped_rows('t')`, `expectations('t')`.
enum QualityRelations {
    typealias Relation = (columns: [Field], factory: OperatorFactory)

    static func uuid(_ lake: Lake, _ table: TableName, function: String) throws -> String {
        guard try lake.tableExists(table) else { throw TarnError.semantic("\(function): table '\(table)' does not exist") }
        return try lake.snapshot(of: table).uuid
    }

    static let violationColumns: [Field] = [
        Field(name: "expectation", type: .varchar), Field(name: "action", type: .varchar),
        Field(name: "version", type: .bigint), Field(name: "row", type: .varchar),
    ]

    /// `violations('t')`: every row a DROP ROW expectation kept out of `t`, with the version of the write, read a page
    /// at a time and only the columns the query uses (`ViolationsOperator`).
    static func violations(_ lake: Lake, table: TableName) throws -> Relation {
        let id = try uuid(lake, table, function: "violations")
        return (violationColumns, violationsFactory(lake, tableUUID: id, positions: Array(violationColumns.indices)))
    }

    /// The operator reading the columns at `positions` of `violationColumns`; asked for fewer, it reads fewer.
    static func violationsFactory(_ lake: Lake, tableUUID: String, positions: [Int]) -> OperatorFactory {
        OperatorFactory({ ViolationsOperator(lake: lake, tableUUID: tableUUID, positions: positions) },
                        project: { keep in violationsFactory(lake, tableUUID: tableUUID, positions: keep.map { positions[$0] }) })
    }

    static let droppedColumns: [Field] = [
        Field(name: "version", type: .bigint), Field(name: "source", type: .varchar), Field(name: "rule", type: .varchar),
        Field(name: "action", type: .varchar), Field(name: "rows_checked", type: .bigint), Field(name: "rows", type: .bigint),
    ]

    /// `dropped_rows('t')`: per committed version of `t`, the rows each expectation failed (any action) and each
    /// table-function rule dropped (`source` is 'expectation' or the function's name).
    static func droppedRows(_ lake: Lake, table: TableName) throws -> Relation {
        let id = try uuid(lake, table, function: "dropped_rows")
        return (droppedColumns, OperatorFactory {
            guard try QualityCatalog.exists(lake) else { return IngestRelations.values(droppedColumns, []) }
            let rows: [[Value]] = try lake.catalog.query("""
                SELECT version, source, name, action, rows_checked, rows_failed FROM tarn_quality_results
                WHERE table_uuid = ? ORDER BY version, rowid
                """, [.text(id)]).map {
                [.bigint($0[0].int64 ?? 0), .varchar($0[1].string ?? ""), .varchar($0[2].string ?? ""), .varchar($0[3].string ?? ""),
                 .bigint($0[4].int64 ?? 0), .bigint($0[5].int64 ?? 0)]
            }
            return IngestRelations.values(droppedColumns, rows)
        })
    }

    static let expectationColumns: [Field] = [
        Field(name: "name", type: .varchar), Field(name: "condition", type: .varchar), Field(name: "action", type: .varchar),
    ]

    /// `expectations('t')`: the expectations enforced on writes to `t`.
    static func expectations(_ lake: Lake, table: TableName) throws -> Relation {
        let id = try uuid(lake, table, function: "expectations")
        return (expectationColumns, OperatorFactory {
            let rows: [[Value]] = try QualityCatalog.expectations(lake, tableUUID: id).map { [.varchar($0.name), .varchar($0.condition), .varchar($0.action)] }
            return IngestRelations.values(expectationColumns, rows)
        })
    }
}
