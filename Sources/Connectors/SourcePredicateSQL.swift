import Storage

/// Renders the filter conjuncts Tarn hands a source (`column op constant`, IS [NOT] NULL, IN lists and the OR / AND
/// of such conditions on one column) as the source's SQL. A condition is sent only when the source's answer is
/// guaranteed to include every row Tarn's own evaluation keeps (Tarn filters the rows again); the others are simply
/// not pushed: string order comparisons under a collation that is not byte order, NaN and infinities, padded CHAR,
/// MySQL floats and booleans. An OR is sent only when every alternative is (leaving one out would lose its rows);
/// an AND sends the parts it can (the source then returns a superset).
public enum SourcePredicateSQL {
    /// A simple comparison split around its operator: `("customer"::text)` and `'c7'`.
    typealias Operands = (left: String, right: String)

    /// `col > '2024-01-01'::date`, `"status" IN ('open', 'shipped')` for PostgreSQL, or nil when nothing is pushed.
    public static func postgres(_ p: ColumnPredicate, _ column: PostgresColumn) -> String? {
        render(p, PostgresConnection.quote(column.name)) { postgresOperands($0, column) }
    }

    /// The same for MySQL / MariaDB (backquoted names; session time zone UTC).
    public static func mysql(_ p: ColumnPredicate, _ column: MySQLColumn) -> String? {
        render(p, MySQLConnection.quote(column.name)) { mysqlOperands($0, column) }
    }

    static func render(_ p: ColumnPredicate, _ name: String, _ operands: (ColumnPredicate) -> Operands?) -> String? {
        switch p.comparison {
        case .isNull, .isNotNull:
            return "\(name) \(p.comparison.rawValue)"
        case .anyOf, .allOf:
            // `x IN (…)` / `x NOT IN (…)` when every operand is an (in)equality that can be sent.
            let member: ColumnPredicate.Comparison = p.comparison == .anyOf ? .equal : .notEqual
            if p.operands.count > 1, p.operands.allSatisfy({ $0.comparison == member }) {
                let parts = p.operands.compactMap(operands)
                if parts.count == p.operands.count, let left = parts.first?.left, parts.allSatisfy({ $0.left == left }) {
                    return "\(left) \(member == .equal ? "IN" : "NOT IN") (\(parts.map(\.right).joined(separator: ", ")))"
                }
            }
            let parts = p.operands.map { render($0, name, operands) }
            let sent = parts.compactMap { $0 }
            if p.comparison == .anyOf && sent.count < parts.count { return nil }
            if sent.count <= 1 { return sent.first }
            return "(" + sent.joined(separator: " \(p.comparison.rawValue) ") + ")"
        default:
            guard let o = operands(p) else { return nil }
            return "\(o.left) \(p.comparison.rawValue) \(o.right)"
        }
    }

    static func postgresOperands(_ p: ColumnPredicate, _ column: PostgresColumn) -> Operands? {
        let name = PostgresConnection.quote(column.name)
        if column.isBpchar { return nil }
        switch (column.type, p.value) {
        case (.bool, let .boolean(b)): return (name, "\(b)")
        case (.int2, _), (.int4, _), (.int8, _):
            guard let v = p.value.int64Value, !(p.value.isBoolean) else { return nil }
            return (name, "\(v)")
        case (.float4, let .double(d)), (.float8, let .double(d)), (.numeric(.double), let .double(d)):
            guard d.isFinite else { return nil }
            return (name, "'\(d)'::float8")
        case (.numeric, let .decimal(v, s)):
            return (name, ValueFormatting.format(decimal: v, scale: s))
        case (.numeric, .integer), (.numeric, .bigint):
            guard let v = p.value.int64Value else { return nil }
            return (name, "\(v)")
        case (.date, let .date(d)):
            return (name, "'\(ValueFormatting.format(date: d))'::date")
        case (.timestamp, let .timestamp(t)):
            return (name, "'\(ValueFormatting.format(timestamp: t))'::timestamp")
        case (.timestamptz, let .timestamp(t)):
            return (name, "'\(ValueFormatting.format(timestamp: t))+00'::timestamptz")
        case (.text, let .varchar(s)), (.jsonb, let .varchar(s)), (.uuid, let .varchar(s)), (.castToText, let .varchar(s)):
            // Byte order is the C collation's. Equality under the column's own collation (which indexes serve) keeps a
            // superset of Tarn's byte equality even when the collation is nondeterministic (case-insensitive ICU);
            // `<>` and order comparisons would not, so they compare in "C".
            let collate = p.comparison == .equal ? "" : " COLLATE \"C\""
            return ("(\(name)::text\(collate))", PostgresConnection.literal(s))
        default:
            return nil
        }
    }

    static func mysqlOperands(_ p: ColumnPredicate, _ column: MySQLColumn) -> Operands? {
        let name = MySQLConnection.quote(column.name)
        switch (column.kind, p.value) {
        case (.integer, _):
            guard let v = p.value.int64Value, !p.value.isBoolean else { return nil }
            return (name, "\(v)")
        case (.decimal, let .decimal(v, s)):
            return (name, ValueFormatting.format(decimal: v, scale: s))
        case (.decimal, .integer), (.decimal, .bigint):
            guard let v = p.value.int64Value else { return nil }
            return (name, "\(v)")
        case (.date, let .date(d)):
            return (name, "'\(ValueFormatting.format(date: d))'")
        case (.datetime, let .timestamp(t)):
            return (name, "'\(ValueFormatting.format(timestamp: t))'")
        case (.text, let .varchar(s)):
            // Collations are usually case-insensitive: equality then keeps a superset; order comparisons and <> do not.
            guard p.comparison == .equal else { return nil }
            return (name, MySQLConnection.literal(s))
        default:
            return nil
        }
    }
}

extension Value {
    var isBoolean: Bool { if case .boolean = self { return true } else { return false } }
}
