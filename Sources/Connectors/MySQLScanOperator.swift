import Foundation
import CMariaDB
import Storage
import Execution
import Transforms

/// Streams one MySQL / MariaDB table unbuffered (`mysql_use_result`: the server sends rows as they are fetched,
/// memory holds one batch; a scan closed early drops the connection instead of draining the rest) with the projected columns and pushed-down conjuncts in its SELECT, converting each
/// text value to its column's type; a value that does not convert fails naming table, row and column.
public final class MySQLScanOperator: PhysicalOperator {
    public let table: MySQLTable
    public let projection: [Int]
    public let predicates: [ColumnPredicate]
    public let statistics = OperatorStatistics()
    let batchRows: Int
    private var connection: MySQLConnection?
    private var result: UnsafeMutablePointer<MYSQL_RES>?
    private var rowNumber = 0
    private var context = ExecutionContext()

    public init(table: MySQLTable, projection: [Int], predicates: [ColumnPredicate], batchRows: Int = 32_768) {
        self.table = table
        self.projection = projection
        self.predicates = predicates
        self.batchRows = batchRows
    }

    deinit { close() }

    public var outputTypes: [DataType] { projection.map { table.columns[$0].type } }
    public var children: [PhysicalOperator] { [] }

    public var pushedConditions: [String] { predicates.compactMap { SourcePredicateSQL.mysql($0, table.columns[$0.column]) } }

    public var selectSQL: String {
        // No projected column (count(*)): select a constant so every row still arrives.
        let columns = projection.isEmpty ? "1" : projection.map { MySQLConnection.quote(table.columns[$0].name) }.joined(separator: ", ")
        var sql = "SELECT \(columns) FROM \(table.quotedName)"
        let conditions = pushedConditions
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        return sql
    }

    public var explainLine: String { "MySQLScan \(table.dsn.redacted) \(table.displayName) sql=[\(selectSQL)]" }

    public func open(_ context: ExecutionContext) throws {
        close()
        self.context = context
        let c = try MySQLConnection(table.dsn)
        connection = c
        result = try c.stream(selectSQL)
        rowNumber = 0
    }

    public func next() throws -> Batch? {
        guard let result, let connection else { return nil }
        try context.progress.checkCancelled()
        let columns = projection.map { table.columns[$0] }
        var builders = columns.map { ColumnBuilder(type: $0.type, capacity: batchRows) }
        var rows = 0, bytes = 0
        let start = DispatchTime.now().uptimeNanoseconds
        // A batch ends at batchRows rows or BatchLimits.bytes of row data: wide rows do not make batches huge.
        while rows < batchRows && bytes < BatchLimits.bytes {
            guard let row = mysql_fetch_row(result) else {
                if mysql_errno(connection.handle) != 0 { throw connection.failure("reading \(table.displayName)") }
                mysql_free_result(result)
                self.result = nil
                break
            }
            rowNumber += 1
            if !columns.isEmpty, let lengths = mysql_fetch_lengths(result) {
                for c in columns.indices {
                    guard let field = row[c] else { builders[c].appendNull(); continue }
                    bytes += Int(lengths[c])
                    let text = UnsafeBufferPointer(start: UnsafeRawPointer(field).assumingMemoryBound(to: UInt8.self), count: Int(lengths[c]))
                    guard Self.append(&builders[c], columns[c], text) else {
                        throw TarnError(.execution, "MySQL table \(table.displayName) row \(rowNumber), column '\(columns[c].name)' (\(columns[c].declared)): value '\(String(decoding: text, as: UTF8.self))' does not convert to \(columns[c].type)")
                    }
                }
            }
            rows += 1
        }
        if rows == 0 { return nil }
        statistics.add(rows: rows, nanos: DispatchTime.now().uptimeNanoseconds &- start)
        context.progress.scanned(rows: rows, bytes: 0)
        return Batch(columns: builders.indices.map { builders[$0].finish() }, count: rows)
    }

    static func append(_ b: inout ColumnBuilder, _ column: MySQLColumn, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        switch column.type {
        case .varchar: b.append(utf8: text)
        case .integer:
            guard let v = TextValueParser.int64(text), let n = Int32(exactly: v) else { return false }
            b.append(int32: n)
        case .bigint:
            guard let v = TextValueParser.int64(text) else { return false }
            b.append(int64: v)
        case .boolean:
            guard let v = TextValueParser.int64(text) else { return false }
            b.append(bool: v != 0)
        case .double:
            guard let v = TextValueParser.double(text) else { return false }
            b.append(double: v)
        case let .decimal(p, s):
            guard let v = TextValueParser.decimal(text, precision: p, scale: s) else { return false }
            b.append(int64: v)
        case .date:
            guard let v = TextValueParser.date(text) else { return false }
            b.append(int32: v)
        case .timestamp, .timestampTZ:
            guard let v = TextValueParser.timestamp(text) else { return false }
            b.append(int64: v)
        case .null, .array, .row, .map:
            return false
        }
        return true
    }

    /// Closing before the last row (LIMIT, cancel, an error) must not read the rest of the table: for an unfinished
    /// `mysql_use_result` read, `mysql_free_result` would fetch and discard every remaining row. The result is
    /// detached from its connection first, and the connection is closed, which makes the server stop sending.
    public func close() {
        if let result {
            result.pointee.handle = nil
            mysql_free_result(result)
        }
        result = nil
        connection = nil
    }
}
