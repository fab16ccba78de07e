import Foundation
import Storage
import SQL
import Execution
import Planner

/// `COPY INTO t FROM ops.public.orders [WATERMARK updated_at]`: copies the rows of a relation (an attached
/// PostgreSQL / MySQL / SQLite table) into a lake table, creating it from the source's columns when missing. With
/// WATERMARK, only rows whose watermark column is greater than the largest value loaded by the previous run are
/// read (the condition is pushed down to the server), and the new largest value is recorded in the catalog
/// (`tarn_extract_watermarks`) in the same SQLite transaction that commits the rows: a run that fails or is killed
/// before its commit leaves neither rows nor watermark, so the next run loads the same rows again, once.
extension StatementRunner {
    static let copyFromRelationColumns: [Field] = [
        Field(name: "rows_loaded", type: .bigint), Field(name: "watermark_from", type: .varchar),
        Field(name: "watermark_to", type: .varchar), Field(name: "version", type: .bigint),
    ]

    func copyIntoFromRelation(_ target: QualifiedName, _ source: String, watermark: String?, otherOptions: [String]) throws -> StatementResult {
        if let key = otherOptions.first {
            throw TarnError.semantic("COPY INTO … FROM a table takes only WATERMARK, not '\(key)'")
        }
        let name = session.tableName(target)
        let label = session.relationLineageLabel(source)
        let exists = try lake.tableExists(name)
        let uuid = exists ? try lake.snapshot(of: name).uuid : nil
        let last = try uuid.flatMap { try ExtractWatermarks.last(lake, tableUUID: $0, source: label) }
        if let last, let watermark, last.column.lowercased() != watermark.lowercased() {
            throw TarnError.semantic("\(name) was loaded from \(label) with WATERMARK \(last.column); the watermark column cannot change to \(watermark)")
        }
        if exists, let sourceFields = try session.externalRelationFields(source) {
            // Columns map by name; a source column the table lacks is an error, never dropped silently.
            let targetNames = Set(try lake.snapshot(of: name).schema.fields.map { $0.name.lowercased() })
            if let extra = sourceFields.first(where: { !targetNames.contains($0.name.lowercased()) }) {
                throw TarnError.semantic("\(source) has column '\(extra.name)' that \(name) lacks; add it with ALTER TABLE \(name) ADD COLUMN")
            }
        }
        let quotedSource = source.split(separator: ".", omittingEmptySubsequences: false).map { Self.quoteIdentifier(String($0)) }.joined(separator: ".")
        let columnList = exists ? try lake.snapshot(of: name).schema.fields.map { Self.quoteIdentifier($0.name) }.joined(separator: ", ") : "*"
        var sql = "SELECT \(columnList) FROM \(quotedSource)"
        if let watermark, let last { sql += " WHERE \(Self.quoteIdentifier(watermark)) > \(last.literal)" }
        let query = try Parser.parseQuery(sql)

        let writer: TableWriter
        let planned: PlannedQuery
        if exists {
            writer = try beginWrite(name)
            do { planned = try QueryPlanner.planInsert(query, into: writer.base.schema, columns: nil, context: context()) } catch { writer.abort(); throw error }
        } else {
            try requireSchema(name.schema)
            try refuseCreateInTransaction(name)
            planned = try QueryPlanner.plan(query, context: context())
            guard let w = try lake.beginCreate(name, schema: Schema(try queryFields(planned)), ifNotExists: false, orReplace: false) else {
                throw TarnError.semantic("table \(name) could not be created")
            }
            writer = w
        }
        let schema = writer.schema
        var tracker: WatermarkTracker?
        if let watermark {
            guard let index = schema.fields.firstIndex(where: { $0.name.lowercased() == watermark.lowercased() }) else {
                writer.abort()
                throw TarnError.semantic("WATERMARK \(watermark): \(name) has no such column")
            }
            guard let t = WatermarkTracker(column: index, type: schema.fields[index].type) else {
                writer.abort()
                throw TarnError.semantic("WATERMARK \(watermark) is \(schema.fields[index].type); it must be an integer, decimal, date or timestamp column")
            }
            tracker = t
        }
        let op: PhysicalOperator
        let pipeline: TableWritePipeline
        do {
            op = try planned.makeOperator()
            pipeline = try writePipeline(name, schema: schema, declared: nil)
        } catch { writer.abort(); throw error }
        let from = last?.display
        let rows = try commitRows(op, into: writer, through: pipeline, operation: "COPY INTO",
                                  parameters: parametersJSON(["source": label, "watermark": watermark ?? "", "after": from ?? ""]),
                                  check: { batch in
                                      try self.checkNotNull(batch, schema: schema)
                                      tracker?.observe(batch)
                                  },
                                  alsoInCommit: { tx in
                                      guard let watermark, let tracker, let high = tracker.highest else { return }
                                      let tableUUID = try tx.query("""
                                          SELECT t.uuid FROM tables t JOIN schemas s ON s.schema_id = t.schema_id WHERE s.name = ? AND t.name = ?
                                          """, [.text(name.schema), .text(name.name)]).first?[0].string ?? ""
                                      try ExtractWatermarks.record(tx, tableUUID: tableUUID, source: label, column: watermark, value: high)
                                  })
        let to = tracker?.highest.map(ValueFormatting.describe) ?? from
        var result = table(Self.copyFromRelationColumns, [[
            .bigint(Int64(rows)), from.map { .varchar($0) } ?? .null, to.map { .varchar($0) } ?? .null,
            session.lastWriteReport?.version.map { .bigint($0) } ?? .null,
        ]])
        result.message = "COPY \(rows)"
        return result
    }

    static func quoteIdentifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}

extension ValueFormatting {
    static func describe(_ v: Value) -> String { v.description }
}

/// The largest value of one column over the batches of a load (integers, decimals, dates, timestamps, doubles).
final class WatermarkTracker {
    let column: Int
    let type: DataType
    private var highInt: Int64?
    private var highDouble: Double?

    init?(column: Int, type: DataType) {
        switch type.physical {
        case .int32, .int64, .double: break
        default: return nil
        }
        self.column = column
        self.type = type
    }

    func observe(_ batch: Batch) {
        guard column < batch.columns.count else { return }
        let c = batch.columns[column]
        switch c.data {
        case let .int32(v):
            for i in 0..<batch.count where !c.isNull(i) { let x = Int64(v[i]); if highInt.map({ x > $0 }) ?? true { highInt = x } }
        case let .int64(v):
            for i in 0..<batch.count where !c.isNull(i) { if highInt.map({ v[i] > $0 }) ?? true { highInt = v[i] } }
        case let .double(v):
            for i in 0..<batch.count where !c.isNull(i) && !v[i].isNaN { if highDouble.map({ v[i] > $0 }) ?? true { highDouble = v[i] } }
        default:
            break
        }
    }

    var highest: Value? {
        if let d = highDouble { return .double(d) }
        guard let x = highInt else { return nil }
        switch type {
        case .integer: return .integer(Int32(truncatingIfNeeded: x))
        case .bigint: return .bigint(x)
        case .date: return .date(Int32(truncatingIfNeeded: x))
        case .timestamp: return .timestamp(x)
        case .timestampTZ: return .timestampTZ(x)
        case let .decimal(_, s): return .decimal(x, scale: s)
        default: return nil
        }
    }
}

/// `tarn_extract_watermarks`: per lake table and source relation, the watermark column and the largest value
/// loaded, written in the commit that loaded it.
enum ExtractWatermarks {
    static let create = """
        CREATE TABLE IF NOT EXISTS tarn_extract_watermarks(
            table_uuid TEXT NOT NULL, source TEXT NOT NULL, column_name TEXT NOT NULL, value_sql TEXT NOT NULL,
            value_text TEXT NOT NULL, loaded_at INTEGER NOT NULL, PRIMARY KEY (table_uuid, source))
        """

    struct Mark { var column: String; var literal: String; var display: String }

    static func last(_ lake: Lake, tableUUID: String, source: String) throws -> Mark? {
        guard try !lake.catalog.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tarn_extract_watermarks'").isEmpty else { return nil }
        guard let r = try lake.catalog.query("SELECT column_name, value_sql, value_text FROM tarn_extract_watermarks WHERE table_uuid = ? AND source = ?",
                                             [.text(tableUUID), .text(source)]).first else { return nil }
        return Mark(column: r[0].string ?? "", literal: r[1].string ?? "NULL", display: r[2].string ?? "")
    }

    static func record(_ tx: CatalogTransaction, tableUUID: String, source: String, column: String, value: Value) throws {
        try tx.execute(create)
        try tx.execute("""
            INSERT OR REPLACE INTO tarn_extract_watermarks(table_uuid, source, column_name, value_sql, value_text, loaded_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(tableUUID), .text(source), .text(column), .text(literal(value)), .text(value.description),
                  .integer(Int64(Date().timeIntervalSince1970 * 1_000_000))])
    }

    /// The value as a SQL literal of its type.
    static func literal(_ v: Value) -> String {
        switch v {
        case let .date(d): return "DATE '\(ValueFormatting.format(date: d))'"
        case let .timestamp(t): return "TIMESTAMP '\(ValueFormatting.format(timestamp: t))'"
        case let .timestampTZ(t): return "TIMESTAMPTZ '\(ValueFormatting.format(timestamp: t))+00'"
        case let .decimal(x, s): return ValueFormatting.format(decimal: x, scale: s)
        case let .double(d): return "\(d)"
        default: return v.description
        }
    }
}

extension Session {
    /// The columns of `alias.name` when `alias` is an attached database (nil otherwise).
    func externalRelationFields(_ source: String) throws -> [Field]? {
        let parts = source.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, attachedDatabases[parts[0].lowercased()] != nil, let resolve = externalRelations()[parts[0].lowercased()] else { return nil }
        return try resolve(parts[1])?.columns
    }

    /// How lineage and the watermark catalog name a relation read by COPY INTO: `postgres:ops.public.orders` for
    /// an attached server's table, else the name as written.
    func relationLineageLabel(_ source: String) -> String {
        let parts = source.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 2, let label = externalLineage()[parts[0].lowercased()] { return label(parts[1]) }
        return source
    }
}
