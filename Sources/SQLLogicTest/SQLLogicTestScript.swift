import Tarn
import Execution

/// A parsed sqllogictest file: its records in order, plus the semantics its header asks for.
public struct SQLLogicTestScript: Sendable {
    public var records: [SQLLogicTestRecord]
    /// Set when a comment line `# tarn: dialect=<name>` appears in the file.
    public var headerDialect: SQLLogicTestDialect?

    public init(records: [SQLLogicTestRecord], headerDialect: SQLLogicTestDialect? = nil) {
        self.records = records; self.headerDialect = headerDialect
    }
}

/// The SQL semantics a script's expected results encode.
public enum SQLLogicTestDialect: String, Sendable, CaseIterable {
    /// Tarn's own (Trino) semantics: session settings are left as given.
    case native
    /// SQLite semantics: division by zero is NULL, SQLite affinity and integer division, overflow promotes.
    case sqlite

    /// Applies the dialect to session settings.
    public func apply(to settings: inout SessionSettings) {
        switch self {
        case .native: break
        case .sqlite:
            settings.sqliteCompatible = true
            settings.divisionByZeroIsNull = true
            settings.overflowIsError = false
        }
    }
}
