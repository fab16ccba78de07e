import Foundation
import Storage
import SQL
import Execution
import Planner

/// An open Tarn lake: the entry point of the library.
public final class Database: @unchecked Sendable {
    public let lake: Lake
    public var path: String { lake.path }

    init(lake: Lake) { self.lake = lake }

    /// Opens (or creates) the lake in `path`.
    public static func open(_ path: String, readOnly: Bool = false) throws -> Database {
        AllocatorTuning.apply()
        // Spill folders left by a crashed or killed process (the default temp directory; others on first spill).
        SpillDirectory.removeStaleOnce()
        return Database(lake: try Lake.open(at: path, readOnly: readOnly))
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
    /// Things worth telling the user that did not fail the statement (e.g. what auto_optimize did after it).
    public var notices: [String] = []
    public var hasResultSet: Bool { !columns.isEmpty }

    public init(columns: [Field], batches: [Batch], rowCount: Int, message: String? = nil) {
        self.columns = columns; self.batches = batches; self.rowCount = rowCount; self.message = message
    }

    /// All rows as values (convenience for tests and small outputs).
    public var rows: [[Value]] { batches.flatMap { b in (0..<b.count).map { b.row($0) } } }
}

