/// Every error Tarn reports to a user: what went wrong, of which kind, and where.
///
/// `line` / `column` (1-based) locate the problem in SQL text; `file`, `row` and `chunk` locate it in data.
public struct TarnError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        /// The SQL text does not parse.
        case syntax
        /// The SQL parses but names something unknown or mixes types wrongly.
        case semantic
        /// Evaluation failed: division by zero, overflow, a bad cast.
        case execution
        /// A data or catalog file is damaged or truncated.
        case corruption
        /// Reading or writing the file system failed.
        case io
        /// A concurrent commit conflicts with this one; nothing of this statement was kept.
        case conflict
        /// A data-quality expectation or constraint rejected the statement.
        case constraint
        /// Valid SQL that Tarn does not implement.
        case unsupported
        /// The query was cancelled by the user.
        case cancelled
        /// A statement's state does not fit `memory_limit` even after spilling; its message starts with
        /// "out of memory:" and says what to do (SQLSTATE 53200 over the wire).
        case outOfMemory
        /// A bug in Tarn: an invariant did not hold.
        case `internal`
    }

    public var kind: Kind
    public var message: String
    public var line: Int?
    public var column: Int?

    public init(_ kind: Kind, _ message: String, line: Int? = nil, column: Int? = nil) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        if kind == .outOfMemory { return message }
        if let line, let column { return "\(kind.label) at line \(line), column \(column): \(message)" }
        return "\(kind.label): \(message)"
    }

    public static func syntax(_ m: String, line: Int? = nil, column: Int? = nil) -> TarnError { TarnError(.syntax, m, line: line, column: column) }
    public static func semantic(_ m: String, line: Int? = nil, column: Int? = nil) -> TarnError { TarnError(.semantic, m, line: line, column: column) }
    public static func execution(_ m: String) -> TarnError { TarnError(.execution, m) }
    public static func corruption(_ m: String) -> TarnError { TarnError(.corruption, m) }
    public static func io(_ m: String) -> TarnError { TarnError(.io, m) }
    public static func unsupported(_ m: String, line: Int? = nil, column: Int? = nil) -> TarnError { TarnError(.unsupported, m, line: line, column: column) }
}

extension TarnError.Kind {
    /// Short label of the kind, as messages print it ("syntax error", "execution error", …).
    public var label: String {
        switch self {
        case .syntax: return "syntax error"
        case .semantic: return "error"
        case .execution: return "execution error"
        case .corruption: return "corrupt data"
        case .io: return "I/O error"
        case .conflict: return "conflict"
        case .constraint: return "constraint violated"
        case .unsupported: return "not supported"
        case .cancelled: return "cancelled"
        case .outOfMemory: return "out of memory"
        case .internal: return "internal error"
        }
    }
}
