/// Minimum, maximum and null count of one column over a row group or a whole file.
/// `min`/`max` are nil when every value is NULL (or for types without an order, none today).
public struct ColumnStatistics: Sendable, Hashable {
    public var min: Value?
    public var max: Value?
    public var nullCount: Int
    public var rowCount: Int
    public init(min: Value?, max: Value?, nullCount: Int, rowCount: Int) {
        self.min = min; self.max = max; self.nullCount = nullCount; self.rowCount = rowCount
    }
}

/// The statistics of one row group of a data file.
public struct RowGroupInfo: Sendable {
    public var rowCount: Int
    /// One entry per column of the file's schema.
    public var columns: [ColumnStatistics]
    public init(rowCount: Int, columns: [ColumnStatistics]) { self.rowCount = rowCount; self.columns = columns }
}

/// Writer knobs. Defaults suit analytic scans.
public struct WriterOptions: Sendable {
    /// Rows per row group.
    public var rowGroupSize: Int = 122_880
    /// zstd level applied to a chunk when it makes the chunk smaller.
    public var compressionLevel: Int32 = 3
    /// Stable column ids stored in the footer (the lake maps columns by id for schema evolution).
    public var fieldIds: [Int32]? = nil
    public init() {}
}

/// What a finished data file holds: enough for the catalog to plan scans without opening it.
public struct DataFileSummary: Sendable {
    public var path: String
    public var rowCount: Int
    public var byteSize: Int
    public var rowGroups: [RowGroupInfo]
    /// File-level statistics per column (merged over row groups).
    public var columnStatistics: [ColumnStatistics]
    public init(path: String, rowCount: Int, byteSize: Int, rowGroups: [RowGroupInfo], columnStatistics: [ColumnStatistics]) {
        self.path = path; self.rowCount = rowCount; self.byteSize = byteSize; self.rowGroups = rowGroups; self.columnStatistics = columnStatistics
    }
}

/// A comparison of one column with a constant, used to skip row groups by statistics.
/// `column` indexes the schema of the table snapshot being scanned.
public struct ColumnPredicate: Sendable, CustomStringConvertible {
    public enum Comparison: String, Sendable {
        case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case isNull = "IS NULL", isNotNull = "IS NOT NULL"
    }
    public var column: Int
    public var comparison: Comparison
    /// The constant, of the column's type (ignored for IS [NOT] NULL).
    public var value: Value
    public init(column: Int, comparison: Comparison, value: Value = .null) { self.column = column; self.comparison = comparison; self.value = value }
    public var description: String { "#\(column) \(comparison.rawValue)\(comparison == .isNull || comparison == .isNotNull ? "" : " \(value)")" }
}
