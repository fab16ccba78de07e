import Storage

/// Renders the filter conjuncts Tarn hands a source (`column op constant`, IS [NOT] NULL) as the source's SQL.
/// A conjunct is sent only when the source's answer is guaranteed to include every row Tarn's own evaluation
/// keeps (Tarn filters the rows again); the others are simply not pushed: string order comparisons under a
/// collation that is not byte order, NaN and infinities, padded CHAR, MySQL floats and booleans.
public enum SourcePredicateSQL {
    /// `col > '2024-01-01'::date` for PostgreSQL, or nil when the conjunct is not pushed.
    public static func postgres(_ p: ColumnPredicate, _ column: PostgresColumn) -> String? {
        let name = PostgresConnection.quote(column.name)
        switch p.comparison {
        case .isNull: return "\(name) IS NULL"
        case .isNotNull: return "\(name) IS NOT NULL"
        default: break
        }
        if column.isBpchar { return nil }
        let op = p.comparison.rawValue
        switch (column.type, p.value) {
        case (.bool, let .boolean(b)): return "\(name) \(op) \(b)"
        case (.int2, _), (.int4, _), (.int8, _):
            guard let v = p.value.int64Value, !(p.value.isBoolean) else { return nil }
            return "\(name) \(op) \(v)"
        case (.float4, let .double(d)), (.float8, let .double(d)), (.numeric(.double), let .double(d)):
            guard d.isFinite else { return nil }
            return "\(name) \(op) '\(d)'::float8"
        case (.numeric, let .decimal(v, s)):
            return "\(name) \(op) \(ValueFormatting.format(decimal: v, scale: s))"
        case (.numeric, .integer), (.numeric, .bigint):
            guard let v = p.value.int64Value else { return nil }
            return "\(name) \(op) \(v)"
        case (.date, let .date(d)):
            return "\(name) \(op) '\(ValueFormatting.format(date: d))'::date"
        case (.timestamp, let .timestamp(t)):
            return "\(name) \(op) '\(ValueFormatting.format(timestamp: t))'::timestamp"
        case (.timestamptz, let .timestamp(t)):
            return "\(name) \(op) '\(ValueFormatting.format(timestamp: t))+00'::timestamptz"
        case (.text, let .varchar(s)), (.jsonb, let .varchar(s)), (.uuid, let .varchar(s)), (.castToText, let .varchar(s)):
            // Byte order is the C collation's; equality is the same under any deterministic collation.
            let collate = p.comparison == .equal || p.comparison == .notEqual ? "" : " COLLATE \"C\""
            return "(\(name)::text\(collate)) \(op) \(PostgresConnection.literal(s))"
        default:
            return nil
        }
    }

    /// The same for MySQL / MariaDB (backquoted names; session time zone UTC).
    public static func mysql(_ p: ColumnPredicate, _ column: MySQLColumn) -> String? {
        let name = MySQLConnection.quote(column.name)
        switch p.comparison {
        case .isNull: return "\(name) IS NULL"
        case .isNotNull: return "\(name) IS NOT NULL"
        default: break
        }
        let op = p.comparison == .notEqual ? "<>" : p.comparison.rawValue
        switch (column.kind, p.value) {
        case (.integer, _):
            guard let v = p.value.int64Value, !p.value.isBoolean else { return nil }
            return "\(name) \(op) \(v)"
        case (.decimal, let .decimal(v, s)):
            return "\(name) \(op) \(ValueFormatting.format(decimal: v, scale: s))"
        case (.decimal, .integer), (.decimal, .bigint):
            guard let v = p.value.int64Value else { return nil }
            return "\(name) \(op) \(v)"
        case (.date, let .date(d)):
            return "\(name) \(op) '\(ValueFormatting.format(date: d))'"
        case (.datetime, let .timestamp(t)):
            return "\(name) \(op) '\(ValueFormatting.format(timestamp: t))'"
        case (.text, let .varchar(s)):
            // Collations are usually case-insensitive: equality then keeps a superset; order comparisons do not.
            guard p.comparison == .equal else { return nil }
            return "\(name) = \(MySQLConnection.literal(s))"
        default:
            return nil
        }
    }
}

extension Value {
    var isBoolean: Bool { if case .boolean = self { return true } else { return false } }
}
