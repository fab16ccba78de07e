/// Minimum, maximum and null count of one column over a row group or a whole file.
/// `min`/`max` are nil when every value is NULL (or for types without an order, none today).
public struct ColumnStatistics: Sendable, Hashable {
    public var min: Value?
    public var max: Value?
    public var nullCount: Int
    public var rowCount: Int
    /// Estimated distinct non-NULL values (a HyperLogLog sketch's estimate, see `DistinctSketch`), for a whole
    /// file's column; nil for row groups, for nested types and for files written before format version 2.
    public var distinctCount: Int?
    public init(min: Value?, max: Value?, nullCount: Int, rowCount: Int, distinctCount: Int? = nil) {
        self.min = min; self.max = max; self.nullCount = nullCount; self.rowCount = rowCount; self.distinctCount = distinctCount
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
    /// fsync on `finish()`; temporary files (spill files, removed when the statement ends) skip it.
    public var durable: Bool = true
    /// Sketch each column's distinct values for the file statistics (format version 2); spill files, which no
    /// planner reads, skip the hashing and write the counts as unknown.
    public var distinctCounts: Bool = true
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

/// A condition on one column, used to skip row groups by statistics and sent to PostgreSQL / MySQL as SQL: a
/// comparison with a constant, `IS [NOT] NULL`, or (`anyOf` / `allOf`) the OR / AND of such conditions on the same
/// column (`x IN (1, 2)` is `anyOf [x = 1, x = 2]`, `x < 5 OR x > 9` is `anyOf [x < 5, x > 9]`).
/// `column` indexes the schema of the table snapshot being scanned.
public struct ColumnPredicate: Sendable, CustomStringConvertible {
    public enum Comparison: String, Sendable {
        case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case isNull = "IS NULL", isNotNull = "IS NOT NULL"
        /// Holds when one of `operands` holds.
        case anyOf = "OR"
        /// Holds when every one of `operands` holds.
        case allOf = "AND"
    }
    public var column: Int
    public var comparison: Comparison
    /// The constant, of the column's type (ignored for IS [NOT] NULL, `anyOf` and `allOf`).
    public var value: Value
    /// The conditions an `anyOf` / `allOf` combines, each on the same column (empty otherwise).
    public var operands: [ColumnPredicate]
    public init(column: Int, comparison: Comparison, value: Value = .null) {
        self.column = column; self.comparison = comparison; self.value = value; operands = []
    }
    /// `anyOf` / `allOf` over `operands`, which must all name `column`.
    public init(column: Int, combining comparison: Comparison, _ operands: [ColumnPredicate]) {
        self.column = column; self.comparison = comparison; value = .null
        self.operands = operands.map { $0.on(column: column) }
    }

    /// The same condition on another column position (a projection or a file's own column order).
    public func on(column c: Int) -> ColumnPredicate {
        var p = self
        p.column = c
        p.operands = operands.map { $0.on(column: c) }
        return p
    }

    /// Whether this is a comparison or IS [NOT] NULL (not an `anyOf` / `allOf`).
    public var isSimple: Bool { comparison != .anyOf && comparison != .allOf }

    /// Combines the answers `simple` gives for the simple conditions inside: OR over `anyOf`, AND over `allOf`.
    /// Sound for "may a row match" (false only when none can), "must every row match" and an exact test of one value.
    public func evaluate(_ simple: (ColumnPredicate) -> Bool) -> Bool {
        switch comparison {
        case .anyOf: return operands.contains { $0.evaluate(simple) }
        case .allOf: return operands.allSatisfy { $0.evaluate(simple) }
        default: return simple(self)
        }
    }

    /// `name = 5`, `name IS NULL`, `(name = 1 OR name = 2)`.
    public func rendered(_ name: String) -> String {
        switch comparison {
        case .isNull, .isNotNull: return "\(name) \(comparison.rawValue)"
        case .anyOf, .allOf: return "(" + operands.map { $0.rendered(name) }.joined(separator: " \(comparison.rawValue) ") + ")"
        default: return "\(name) \(comparison.rawValue) \(value)"
        }
    }

    public var description: String { rendered("#\(column)") }
}

extension ColumnPredicate.Comparison {
    /// The comparison a SQL operator names (`=`, `<`, `<=`, `>`, `>=`), nil for any other function.
    public init?(operatorName: String) {
        switch operatorName {
        case "=": self = .equal
        case "<": self = .less
        case "<=": self = .lessOrEqual
        case ">": self = .greater
        case ">=": self = .greaterOrEqual
        default: return nil
        }
    }

    /// The same comparison with its operands swapped (`5 < x` is `x > 5`).
    public var flipped: ColumnPredicate.Comparison {
        switch self {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return self
        }
    }
}
