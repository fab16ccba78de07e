import Storage
import Execution

/// A column produced by a logical plan node. `id` is unique within one statement's plan, so
/// optimizer rules can move expressions between nodes without renumbering; the physical planner
/// turns ids into batch positions.
public struct PlanColumn: Sendable, CustomStringConvertible {
    public var id: Int
    public var name: String
    public var type: DataType
    /// Table alias or name the column can be qualified with (`t` in `t.c`).
    public var qualifier: String?
    /// Hidden columns (ORDER BY helpers) are not expanded by `*`.
    public var hidden: Bool = false

    public init(id: Int, name: String, type: DataType, qualifier: String? = nil) {
        self.id = id; self.name = name; self.type = type; self.qualifier = qualifier
    }
    public var description: String { "\(qualifier.map { $0 + "." } ?? "")\(name)#\(id)" }
}

/// An expression computed into a new column.
public struct ProjectItem: Sendable {
    public var expression: BoundExpression
    public var column: PlanColumn
}

/// An aggregate computed into a new column.
public struct AggregateItem: Sendable {
    public var call: AggregateCall
    public var column: PlanColumn
}

/// A window function computed into a new column.
public struct WindowItem: Sendable {
    public var call: WindowCall
    public var column: PlanColumn
}

/// Logical join kinds. `mark` appends one BOOLEAN column (`markColumn`) telling whether a match exists; `count`
/// (made by `CountingJoin`) emits each left row with at least one match once, with its number of matches as a BIGINT
/// column (`markColumn`).
public enum LogicalJoinKind: String, Sendable {
    case inner, left, right, full, cross, semi, anti, nullAwareAnti = "null_aware_anti", mark, count
}

/// A scan of one table snapshot. `columns[i]` reads `tableColumns[i]` of the snapshot's schema.
public struct ScanNode: Sendable {
    public var snapshot: TableSnapshot
    public var tableColumns: [Int]
    public var columns: [PlanColumn]
    /// Conjuncts pushed into the scan (over this node's column ids); comparisons with constants
    /// also become `ColumnPredicate`s that skip row groups by statistics.
    public var filters: [BoundExpression]
    public var displayName: String
}

/// The relational algebra Tarn optimises. Each node's output columns are `columns`.
public indirect enum LogicalPlan: Sendable {
    case scan(ScanNode)
    /// Literal rows (VALUES, one-row `SELECT 1`, materialised table-function output).
    case values(columns: [PlanColumn], batches: [Batch], label: String)
    case filter(LogicalPlan, BoundExpression)
    case project(LogicalPlan, [ProjectItem])
    case aggregate(LogicalPlan, groups: [ProjectItem], aggregates: [AggregateItem])
    case join(LogicalPlan, LogicalPlan, kind: LogicalJoinKind, condition: BoundExpression?, mark: PlanColumn?)
    case sort(LogicalPlan, [SortKey])
    case limit(LogicalPlan, limit: Int?, offset: Int)
    case topN(LogicalPlan, [SortKey], limit: Int, offset: Int)
    case window(LogicalPlan, [WindowItem])
    /// UNION ALL of children with equal arity; output columns are new ids, positions follow children.
    case unionAll([LogicalPlan], columns: [PlanColumn])
    /// INTERSECT / EXCEPT [ALL].
    case setOperation(intersect: Bool, all: Bool, LogicalPlan, LogicalPlan, columns: [PlanColumn])
    case distinct(LogicalPlan)
    /// A physical operator built by a table function, with its output columns.
    case external(columns: [PlanColumn], label: String, factory: OperatorFactory)
    /// Each input row repeated once per element of its arrays (`CROSS JOIN UNNEST(t.arr)`), with the element columns.
    case unnest(LogicalPlan, UnnestNode)

    public var columns: [PlanColumn] {
        switch self {
        case let .scan(s): return s.columns
        case let .values(c, _, _): return c
        case let .filter(p, _): return p.columns
        case let .project(_, items): return items.map(\.column)
        case let .aggregate(_, g, a): return g.map(\.column) + a.map(\.column)
        case let .join(l, r, kind, _, mark):
            switch kind {
            case .semi, .anti, .nullAwareAnti: return l.columns
            case .mark, .count: return l.columns + (mark.map { [$0] } ?? [])
            default: return l.columns + r.columns
            }
        case let .sort(p, _): return p.columns
        case let .limit(p, _, _): return p.columns
        case let .topN(p, _, _, _): return p.columns
        case let .window(p, items): return p.columns + items.map(\.column)
        case let .unionAll(_, c): return c
        case let .setOperation(_, _, _, _, c): return c
        case let .distinct(p): return p.columns
        case let .external(c, _, _): return c
        case let .unnest(p, node): return p.columns + node.columns
        }
    }
}

/// `UNNEST(arrays…) [WITH ORDINALITY]` over an input: the array expressions (over the input's columns) and the new
/// columns, one per array then the ordinality column.
public struct UnnestNode: Sendable {
    public var arrays: [BoundExpression]
    public var columns: [PlanColumn]
    public var ordinality: Bool
}

/// Builds a physical operator on demand (table functions, materialised inputs).
public struct OperatorFactory: @unchecked Sendable {
    public let make: () throws -> PhysicalOperator
    /// For a source that can produce a subset of its columns (`read_parquet`): the factory of an operator
    /// producing only the columns at these positions, in this order (possibly none). Nil: always all columns.
    public let project: (([Int]) -> OperatorFactory)?
    /// For a source that can skip data by statistics (`read_parquet`): the factory of an operator that may leave
    /// out rows failing these predicates (`column` = position among its columns). Rows are still filtered above it.
    public let filter: (([ColumnPredicate]) -> OperatorFactory)?
    public init(_ make: @escaping () throws -> PhysicalOperator) { self.make = make; self.project = nil; self.filter = nil }
    public init(_ make: @escaping () throws -> PhysicalOperator, project: @escaping ([Int]) -> OperatorFactory,
                filter: (([ColumnPredicate]) -> OperatorFactory)? = nil) {
        self.make = make
        self.project = project
        self.filter = filter
    }
}
