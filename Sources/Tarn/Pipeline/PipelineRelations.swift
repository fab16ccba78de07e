import Foundation
import Storage
import Execution
import Planner

/// `tarn.pipeline_runs`, `tarn.pipeline_drops` and `tarn.lineage` as SQL relations (via the `tarn` schema's
/// external relations, next to `tarn.loaded_files`).
enum PipelineRelations {
    typealias Relation = (columns: [Field], factory: OperatorFactory)

    static let runColumns: [Field] = [
        Field(name: "run_id", type: .varchar), Field(name: "step", type: .bigint), Field(name: "table_name", type: .varchar),
        Field(name: "kind", type: .varchar), Field(name: "started_at", type: .timestamp), Field(name: "ended_at", type: .timestamp),
        Field(name: "status", type: .varchar), Field(name: "source_versions", type: .varchar), Field(name: "rows_in", type: .bigint),
        Field(name: "rows_out", type: .bigint), Field(name: "rows_dropped", type: .bigint), Field(name: "version", type: .bigint),
        Field(name: "message", type: .varchar),
    ]
    static let dropColumns: [Field] = [
        Field(name: "run_id", type: .varchar), Field(name: "step", type: .bigint), Field(name: "table_name", type: .varchar),
        Field(name: "rule", type: .varchar), Field(name: "rows", type: .bigint),
    ]
    static let lineageColumns: [Field] = [
        Field(name: "target", type: .varchar), Field(name: "target_kind", type: .varchar), Field(name: "source", type: .varchar),
        Field(name: "source_kind", type: .varchar), Field(name: "run_id", type: .varchar), Field(name: "recorded_at", type: .timestamp),
    ]

    /// The relation `tarn.<name>`, or nil when it is not one of these.
    static func relation(_ lake: Lake, named name: String) throws -> Relation? {
        switch name.lowercased() {
        case "pipeline_runs":
            return relation(lake, runColumns, """
                SELECT run_id, step, target, kind, started_at, ended_at, status, source_versions, rows_in, rows_out, rows_dropped, version, message
                FROM tarn_pipeline_runs ORDER BY started_at, step
                """)
        case "pipeline_drops":
            return relation(lake, dropColumns, "SELECT run_id, step, target, rule, rows FROM tarn_pipeline_drops ORDER BY rowid")
        case "lineage":
            return relation(lake, lineageColumns, "SELECT target, target_kind, source, source_kind, run_id, recorded_at FROM tarn_lineage ORDER BY target, source")
        default:
            return nil
        }
    }

    private static func relation(_ lake: Lake, _ fields: [Field], _ sql: String) -> Relation {
        (fields, OperatorFactory {
            guard try PipelineCatalog.exists(lake) else { return IngestRelations.values(fields, []) }
            let rows: [[Value]] = try lake.catalog.query(sql).map { row in
                zip(fields, row).map { field, v in
                    if v.isNull { return .null }
                    switch field.type {
                    case .bigint: return .bigint(v.int64 ?? 0)
                    case .timestamp: return .timestamp(v.int64 ?? 0)
                    default: return .varchar(v.string ?? "")
                    }
                }
            }
            return IngestRelations.values(fields, rows)
        })
    }
}
