import Foundation
import Storage
import SQL
import Execution
import Planner

// CONTRACT STUB of the facade; the lead engineer fills it in. The REPL and tests use these signatures.

/// An open Tarn lake: the entry point of the library.
public final class Database: @unchecked Sendable {
    public let lake: Lake
    public var path: String { lake.path }

    init(lake: Lake) { self.lake = lake }

    /// Opens (or creates) the lake in `path`.
    public static func open(_ path: String, readOnly: Bool = false) throws -> Database {
        Database(lake: try Lake.open(at: path, readOnly: readOnly))
    }

    /// A session: settings (`SET …`) and attached databases live per session.
    public func connect() -> Session { Session(database: self) }
}

/// What one statement produced: a result set (possibly empty) or a message for DDL/DML.
public struct StatementResult: Sendable {
    /// Result columns (empty for statements without a result set).
    public var columns: [Field]
    public var batches: [Batch]
    /// Rows in `batches`, or rows affected for INSERT/UPDATE/DELETE.
    public var rowCount: Int
    /// e.g. "CREATE TABLE", "INSERT 0 5"; nil for queries.
    public var message: String?
    public var hasResultSet: Bool { !columns.isEmpty }

    public init(columns: [Field], batches: [Batch], rowCount: Int, message: String? = nil) {
        self.columns = columns; self.batches = batches; self.rowCount = rowCount; self.message = message
    }

    /// All rows as values (convenience for tests and small outputs).
    public var rows: [[Value]] { batches.flatMap { b in (0..<b.count).map { b.row($0) } } }
}

/// A connection to a database. Not thread-safe; one statement at a time. `cancel()` may be called from
/// another thread (Ctrl-C) and makes the running statement fail with `.cancelled`, changing nothing.
public final class Session: @unchecked Sendable {
    public let database: Database
    public var settings = SessionSettings()

    init(database: Database) { self.database = database }

    /// Parses a script into statements (locations relative to the script's first character).
    public func parse(_ sql: String) throws -> [ParsedStatement] { try Parser.parse(sql) }

    /// Runs one parsed statement. A failing statement changes nothing.
    public func execute(_ statement: ParsedStatement, progress: QueryProgress = QueryProgress()) throws -> StatementResult {
        throw TarnError.unsupported("facade not implemented")
    }

    /// Parses and runs every statement of `sql`; returns the result of each (stops at the first error).
    @discardableResult
    public func execute(_ sql: String) throws -> [StatementResult] {
        try parse(sql).map { try execute($0) }
    }

    /// Convenience: runs `sql` and returns the rows of its last result.
    public func query(_ sql: String) throws -> [[Value]] { try execute(sql).last?.rows ?? [] }
}
