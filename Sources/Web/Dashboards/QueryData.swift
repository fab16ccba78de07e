import Storage
import Tarn

/// A query's result as a dashboard block reads it: column names and rows of values.
struct QueryData: Sendable {
    var columns: [String]
    var types: [DataType]
    var rows: [[Value]]

    init(_ result: StatementResult) {
        columns = result.columns.map(\.name)
        types = result.columns.map(\.type)
        rows = result.rows
    }

    init(columns: [String], types: [DataType], rows: [[Value]]) { self.columns = columns; self.types = types; self.rows = rows }

    /// Index of a column by name (case-insensitive), or a clear error naming the query's columns.
    func index(_ name: String, query: String) throws -> Int {
        if name.hasPrefix("#"), let n = Int(name.dropFirst()), (1...columns.count).contains(n) { return n - 1 }
        if let i = columns.firstIndex(where: { $0.lowercased() == name.lowercased() }) { return i }
        throw DashboardError("query \(query) has no column \(name) (columns: \(columns.joined(separator: ", ")))")
    }
}
