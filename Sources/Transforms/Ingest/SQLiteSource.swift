import CSQLite
import Storage
import Execution

/// A read-only connection to an operational SQLite database file (`sqlite_scan`, `ATTACH … (TYPE sqlite)`).
/// Column types map from the declared types by SQLite's affinity rules: INT → BIGINT, REAL/FLOA/DOUB → DOUBLE,
/// BOOL → BOOLEAN, DATETIME/TIMESTAMP → TIMESTAMP, DATE → DATE, DECIMAL/NUMERIC → DOUBLE, anything else VARCHAR.
public final class SQLiteSource: @unchecked Sendable {
    public let path: String
    let db: OpaquePointer

    public init(path: String) throws {
        self.path = path
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let handle else {
            if let handle { sqlite3_close_v2(handle) }
            throw TarnError.io("cannot open the SQLite database \(path) (\(String(cString: sqlite3_errstr(rc))))")
        }
        db = handle
        sqlite3_busy_timeout(db, 10_000)
        // Opening is lazy in SQLite: touch the schema so a file that is not a database fails here.
        _ = try tableNames()
    }

    deinit { sqlite3_close_v2(db) }

    /// The database's tables and views.
    public func tableNames() throws -> [String] {
        try query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name").compactMap { $0.first ?? nil }
    }

    /// The columns of `table`, typed; nil when the table does not exist.
    public func columns(of table: String) throws -> [Field]? {
        let rows = try query("SELECT name, type FROM pragma_table_info(?)", [table])
        guard !rows.isEmpty else { return nil }
        return rows.map { Field(name: $0[0] ?? "?", type: Self.type(declared: $0[1] ?? "")) }
    }

    static func type(declared: String) -> DataType {
        let t = declared.uppercased()
        if t.contains("INT") { return .bigint }
        if t.contains("BOOL") { return .boolean }
        if t.contains("TIMESTAMP") || t.contains("DATETIME") { return .timestamp }
        if t == "DATE" { return .date }
        if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") || t.contains("DECIMAL") || t.contains("NUMERIC") { return .double }
        return .varchar
    }

    func error(_ rc: Int32, _ context: String) -> TarnError {
        TarnError.io("SQLite database \(path): \(context): \(String(cString: sqlite3_errmsg(db))) (code \(rc))")
    }

    func prepare(_ sql: String) throws -> OpaquePointer {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, "preparing \(sql)") }
        return stmt
    }

    private func query(_ sql: String, _ parameters: [String] = []) throws -> [[String?]] {
        let stmt = try prepare(sql)
        defer { sqlite3_finalize(stmt) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (i, p) in parameters.enumerated() { sqlite3_bind_text(stmt, Int32(i + 1), p, -1, transient) }
        var rows: [[String?]] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(rc, "running \(sql)") }
            rows.append((0..<sqlite3_column_count(stmt)).map { c in sqlite3_column_text(stmt, c).map { String(cString: $0) } })
        }
        return rows
    }

    /// Quotes an identifier for SQLite.
    static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}

/// Streams the rows of one SQLite table, converting each value to its column's type. A value that does not
/// convert (text in an INTEGER column that is not a number) fails with its table, row and column.
public final class SQLiteScanOperator: PhysicalOperator {
    public let source: SQLiteSource
    public let table: String
    public let fields: [Field]
    public let statistics = OperatorStatistics()
    private var statement: OpaquePointer?
    private var rowNumber = 0
    private var done = false
    private var context = ExecutionContext()
    private let batchRows = 16_384

    public init(source: SQLiteSource, table: String, fields: [Field]) {
        self.source = source
        self.table = table
        self.fields = fields
    }

    deinit { if let statement { sqlite3_finalize(statement) } }

    public var outputTypes: [DataType] { fields.map(\.type) }
    public var children: [PhysicalOperator] { [] }
    public var explainLine: String { "SQLiteScan \(table)" }

    public func open(_ context: ExecutionContext) throws {
        self.context = context
        if let statement { sqlite3_finalize(statement) }
        let columns = fields.map { SQLiteSource.quote($0.name) }.joined(separator: ", ")
        statement = try source.prepare("SELECT \(columns) FROM \(SQLiteSource.quote(table))")
        rowNumber = 0
        done = false
    }

    public func next() throws -> Batch? {
        guard !done, let stmt = statement else { return nil }
        try context.progress.checkCancelled()
        var builders = fields.map { IngestColumnBuilder(type: $0.type, capacity: batchRows) }
        var rows = 0
        while rows < batchRows {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { done = true; break }
            guard rc == SQLITE_ROW else { throw source.error(rc, "reading table \(table)") }
            rowNumber += 1
            for c in 0..<fields.count {
                let column = Int32(c)
                let storage = sqlite3_column_type(stmt, column)
                if storage == SQLITE_NULL { builders[c].appendNull(); continue }
                let ok: Bool
                switch (fields[c].type, storage) {
                case (.bigint, SQLITE_INTEGER): ok = builders[c].appendInt64(sqlite3_column_int64(stmt, column))
                case (.double, SQLITE_INTEGER), (.double, SQLITE_FLOAT): ok = builders[c].appendDouble(sqlite3_column_double(stmt, column))
                case (.boolean, SQLITE_INTEGER): ok = builders[c].appendBool(sqlite3_column_int64(stmt, column) != 0)
                default:
                    let n = Int(sqlite3_column_bytes(stmt, column))
                    let text = sqlite3_column_text(stmt, column)
                    let kind: IngestFieldKind = storage == SQLITE_TEXT || storage == SQLITE_BLOB ? .text : .number
                    ok = builders[c].append(kind, UnsafeBufferPointer(start: text, count: text == nil ? 0 : n))
                }
                guard ok else {
                    let shown = sqlite3_column_text(stmt, column).map { String(cString: $0) } ?? "?"
                    throw TarnError(.execution, "SQLite table \(table) row \(rowNumber), column '\(fields[c].name)': value '\(shown)' is not a \(fields[c].type)")
                }
            }
            rows += 1
        }
        if rows == 0 { return nil }
        statistics.add(rows: rows, nanos: 0)
        return Batch(columns: builders.indices.map { builders[$0].finish() }, count: rows)
    }

    public func close() {
        if let statement { sqlite3_finalize(statement) }
        statement = nil
    }
}
