import Tarn
/// One record of a sqllogictest script: its guards, its kind, and the line it starts on.
public struct SQLLogicTestRecord: Sendable, Equatable {
    /// What the record asks the runner to do.
    public enum Kind: Sendable, Equatable {
        /// `statement ok` / `statement error`: run `sql` (possibly several `;`-separated statements).
        case statement(sql: String, expectsError: Bool)
        case query(SQLLogicTestQuery)
        /// `hash-threshold N`: hash results with more than N values (0 disables hashing).
        case hashThreshold(Int)
        /// `halt`: stop processing the file.
        case halt
    }

    /// 1-based line of the record's type line (`statement …`, `query …`) in the file.
    public var line: Int
    public var guards: [SQLLogicTestGuard]
    public var kind: Kind

    public init(line: Int, guards: [SQLLogicTestGuard] = [], kind: Kind) {
        self.line = line; self.guards = guards; self.kind = kind
    }

    /// Whether a runner answering to `engineNames` (lower-case) runs this record.
    public func applies(to engineNames: Set<String>) -> Bool {
        guards.allSatisfy { $0.allows(engineNames) }
    }
}

/// A `skipif <db>` or `onlyif <db>` line in front of a record.
public enum SQLLogicTestGuard: Sendable, Equatable {
    case skipIf(String)
    case onlyIf(String)

    /// Whether the record may run for a runner answering to `engineNames` (lower-case names).
    public func allows(_ engineNames: Set<String>) -> Bool {
        switch self {
        case let .skipIf(name): return !engineNames.contains(name.lowercased())
        case let .onlyIf(name): return engineNames.contains(name.lowercased())
        }
    }
}

/// A `query <types> [<sortmode>] [<label>]` record.
public struct SQLLogicTestQuery: Sendable, Equatable {
    public var columnTypes: [SQLLogicTestColumnType]
    public var sortMode: SQLLogicTestSortMode
    public var label: String?
    public var sql: String
    public var expected: SQLLogicTestExpectedResult

    public init(columnTypes: [SQLLogicTestColumnType], sortMode: SQLLogicTestSortMode = .noSort, label: String? = nil,
                sql: String, expected: SQLLogicTestExpectedResult) {
        self.columnTypes = columnTypes; self.sortMode = sortMode; self.label = label; self.sql = sql; self.expected = expected
    }
}

/// The expected block of a query: the values one per line, or `N values hashing to <md5>`.
public enum SQLLogicTestExpectedResult: Sendable, Equatable {
    case values([String])
    case hash(valueCount: Int, md5: String)

    /// A printable form for failure reports.
    public var display: String {
        switch self {
        case let .values(values): return values.isEmpty ? "(no values)" : values.joined(separator: "\n")
        case let .hash(count, md5): return "\(count) values hashing to \(md5)"
        }
    }
}

/// A result column's type letter: decides how each value is rendered, whatever its runtime type.
public enum SQLLogicTestColumnType: Character, Sendable, Equatable {
    case integer = "I"
    case real = "R"
    case text = "T"
}

/// How rendered values are ordered before comparing or hashing.
public enum SQLLogicTestSortMode: String, Sendable, Equatable {
    /// Engine order (the SQL has an ORDER BY where it matters).
    case noSort = "nosort"
    /// Rows sorted byte-wise, column by column.
    case rowSort = "rowsort"
    /// All values sorted byte-wise, ignoring row boundaries.
    case valueSort = "valuesort"
}
