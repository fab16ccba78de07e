import Foundation
import Storage
import SQL
import Execution

/// Allocates plan column ids, unique within one statement.
final class ColumnIdGenerator: @unchecked Sendable {
    private var next = 0
    func make() -> Int { next += 1; return next }
}

/// A table function the binder can call in FROM position: receives the bound arguments and
/// returns a logical plan (usually `.external` or `.values`).
public struct TableFunctionDefinition: Sendable {
    public typealias Build = @Sendable (_ call: TableFunctionCall) throws -> (columns: [Field], factory: OperatorFactory)
    public let name: String
    public let build: Build
    public init(name: String, build: @escaping Build) { self.name = name; self.build = build }
}

/// Resolves the relation name after an attached alias (see `BinderContext.externalRelations`).
public typealias ExternalRelationResolver = @Sendable (_ name: String) throws -> (columns: [Field], factory: OperatorFactory)?

/// The lineage label of a relation read through an attached alias (`postgres:ops.public.orders`), by the name after it.
public typealias ExternalLineageLabel = @Sendable (_ name: String) -> String

/// Arguments of one table-function call, bound: constants by position and by name, and input relations.
public struct TableFunctionCall: Sendable {
    public var name: String
    public var positional: [Value]
    public var named: [String: Value]
    /// `ARRAY[…]` arguments, by position or name.
    public var arrays: [String: [Value]]
    /// `TABLE t` / subquery inputs as ready-to-run plans.
    public var inputs: [TableFunctionInput]
    public var context: ExecutionContext
}

/// A relation passed to a table function.
public struct TableFunctionInput: Sendable {
    public var columns: [Field]
    public var makeOperator: OperatorFactory
    /// For a `TABLE t` argument: the table and the snapshot version this statement reads (for lineage).
    public var source: (table: String, version: Int64)? = nil
    /// The argument's name when passed as `name => TABLE t` (lower-cased); nil for a positional input.
    public var name: String? = nil
}

/// Everything the binder consults beyond the AST: the lake, session settings and schema,
/// table functions, and the snapshot cache that keeps one statement on one consistent version per table.
public final class BinderContext: @unchecked Sendable {
    public let lake: Lake
    public var settings: SessionSettings
    /// Schema for unqualified names (USE / SET schema).
    public var currentSchema: String
    public var tableFunctions: [String: TableFunctionDefinition]
    /// Relations outside the lake, by the first part of a two-part name (`ops.orders` for a database attached
    /// as `ops`, `tarn.loaded_files`): the resolver gets the second part and returns the relation's columns and
    /// operator, or nil when it has no such relation. A name found here is not looked up in the lake.
    public var externalRelations: [String: ExternalRelationResolver] = [:]
    /// For aliases in `externalRelations` whose reads lineage records (attached databases): the label of a read.
    public var externalLineage: [String: ExternalLineageLabel] = [:]
    /// The session's TEMP tables by lower-cased name: an unqualified name (or `temp.name`) finds them before the lake.
    public var temporaryTables: [String: (fields: [Field], batches: [Batch])] = [:]
    /// The session's TEMP views by lower-cased name (their SQL and column names), found like TEMP tables.
    public var temporaryViews: [String: (sql: String, columnNames: [String])] = [:]
    let ids = ColumnIdGenerator()
    /// Types of the bind parameters `$1…$n` of a query prepared once and run with different values (see
    /// `ParameterMarker`); a `$n` beyond them is an error.
    public var parameterTypes: [DataType] = []
    /// The parameter numbers the binder met (to check that none hides where `QueryPlanner.bindParameters` cannot reach).
    var parameterNumbersBound = Set<Int>()
    /// Whether the statement read a table at a version other than its latest (time travel), which a plan made once
    /// would pin to when it was made.
    public private(set) var readsPastVersions = false
    /// Snapshots read by this statement, so every reference to a table sees the same version.
    var snapshots: [String: TableSnapshot] = [:]
    /// Tables and views this statement reads (for lineage).
    public private(set) var relationsRead: Set<String> = []
    var viewDepth = 0

    public init(lake: Lake, settings: SessionSettings, currentSchema: String, tableFunctions: [String: TableFunctionDefinition] = [:]) {
        self.lake = lake
        self.settings = settings
        self.currentSchema = currentSchema
        self.tableFunctions = tableFunctions
    }

    /// Incremental reads (pipelines): a table named here is read as of its latest version but only with the
    /// data files added after the given version (the rows an append-only table gained since then).
    public var readFilesAddedAfter: [TableName: Int64] = [:]
    /// The tables the session's open transaction changed, as it sees them (its uncommitted writes included):
    /// read instead of the latest committed version.
    public var transactionSnapshots: [TableName: TableSnapshot] = [:]
    /// The snapshots this statement read, after `readFilesAddedAfter` (versions and rows read, for lineage).
    public var snapshotsRead: [TableSnapshot] { Array(snapshots.values) }

    func snapshot(_ name: TableName, _ selector: SnapshotSelector) throws -> TableSnapshot {
        let key = "\(name)@\(selector)"
        if let s = snapshots[key] { return s }
        if selector != .latest { readsPastVersions = true }
        var s = try selector == .latest ? transactionSnapshots[name] ?? lake.snapshot(of: name, at: selector) : lake.snapshot(of: name, at: selector)
        if selector == .latest, let since = readFilesAddedAfter[name] { s = s.filesAdded(after: since) }
        snapshots[key] = s
        relationsRead.insert(name.description)
        return s
    }

    func noteRead(_ name: TableName) { relationsRead.insert(name.description) }
    func noteExternalRead(_ label: String) { relationsRead.insert(label) }

    /// Maps a written type name to a Tarn type (SQLite affinity rules in SQLite-compatible mode).
    public func dataType(_ t: TypeName, at location: SourceLocation) throws -> DataType {
        if t.name == "ROW" {
            var fields: [RowField] = []
            for (i, (name, type)) in zip(t.fieldNames, t.element).enumerated() {
                let fieldName = name ?? "field\(i)"
                if fields.contains(where: { $0.name.lowercased() == fieldName.lowercased() }) {
                    throw TarnError.semantic("ROW type has two fields named '\(fieldName)'", line: location.line, column: location.column)
                }
                fields.append(RowField(name: fieldName, type: try dataType(type, at: location)))
            }
            return .row(fields)
        }
        if t.name == "MAP", t.element.count == 2 {
            let key = try dataType(t.element[0], at: location)
            guard key.isOrderable else { throw TarnError.semantic("MAP keys cannot be of type \(key)", line: location.line, column: location.column) }
            return .map(key: key, value: try dataType(t.element[1], at: location))
        }
        if let element = t.element.first { return .array(try dataType(element, at: location)) }
        let upper = t.name.uppercased()
        if settings.sqliteCompatible {
            if upper.contains("INT") || upper == "SIGNED" || upper == "UNSIGNED" { return .bigint }
            if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") || upper == "STRING" { return .varchar }
            if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") { return .double }
            if upper == "BLOB" { return .varchar }
        }
        if upper == "SIGNED" || upper == "UNSIGNED" { return .bigint }
        // PostgreSQL's system types, as catalog queries of clients cast to them: identifiers are BIGINT,
        // names and vectors (arrays in text form) VARCHAR.
        switch upper {
        case "OID", "XID", "CID", "REGCLASS", "REGTYPE", "REGNAMESPACE", "REGROLE": return .bigint
        case "NAME", "REGPROC", "REGPROCEDURE", "INT2VECTOR", "OIDVECTOR", "BPCHAR": return .varchar
        default: break
        }
        var text = upper
        if !t.parameters.isEmpty { text += "(" + t.parameters.map(String.init).joined(separator: ",") + ")" }
        if let dt = DataType.parse(text) { return dt }
        if upper == "DECIMAL" || upper == "NUMERIC" {
            throw TarnError.semantic("DECIMAL precision must be between 1 and \(DataType.maxDecimalPrecision), scale between 0 and precision", line: location.line, column: location.column)
        }
        throw TarnError.semantic("unknown type '\(t)'", line: location.line, column: location.column)
    }
}
