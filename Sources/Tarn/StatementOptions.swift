import Storage
import SQL

/// Constant values of a statement's option list (`COPY … (FORMAT csv, HEADER true)`): literals, bare words as
/// strings, and `-n`.
enum StatementOptions {
    static func values(_ options: [String: Expression], statement: String) throws -> [String: Value] {
        var out: [String: Value] = [:]
        for (key, e) in options {
            out[key] = try value(e, key: key, statement: statement)
        }
        return out
    }

    private static func value(_ e: Expression, key: String, statement: String) throws -> Value {
        switch e.kind {
        case let .literal(l):
            switch l {
            case .null: return .null
            case let .boolean(b): return .boolean(b)
            case let .integer(t): if let v = Int64(t) { return .bigint(v) }
            case let .decimal(t), let .double(t): if let v = Double(t) { return .double(v) }
            case let .string(s): return .varchar(s)
            default: break
            }
        case let .column(parts) where parts.count == 1:
            return .varchar(parts[0])
        case let .unary(.minus, inner):
            if case let .bigint(v) = try value(inner, key: key, statement: statement) { return .bigint(-v) }
        case let .array(items):
            let texts = try items.map { try value($0, key: key, statement: statement).description }
            return .varchar(texts.joined(separator: ", "))
        default: break
        }
        throw TarnError.semantic("\(statement): option \(key) needs a constant value", line: e.location.line, column: e.location.column)
    }
}
