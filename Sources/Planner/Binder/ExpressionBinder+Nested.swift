import Storage
import SQL
import Execution

/// ROW and MAP in expressions: `ROW(a, b)`, DuckDB's `{'x': a}` (struct_pack), field access `r.x` / `(r).x` /
/// `t.col.x` / `r['x']` / `r[1]`, and `m[key]` (element_at).
extension ExpressionBinder {
    /// `row(…)` and `struct_pack(…)` calls; nil for any other function.
    func bindRowConstructor(_ name: String, _ call: FunctionCall, _ args: [BoundExpression], at loc: SourceLocation) throws -> BoundExpression? {
        guard name == "row" || name == "struct_pack" else { return nil }
        guard !args.isEmpty else { throw err("\(name) needs at least one value", loc) }
        var fields: [RowField] = []
        var seen = Set<String>()
        for (i, arg) in args.enumerated() {
            var fieldName = "field\(i)"
            if name == "struct_pack" {
                guard let given = call.arguments[i].name else { throw err("struct_pack's values need names (struct_pack(x := 1))", loc) }
                fieldName = given
            }
            guard seen.insert(fieldName.lowercased()).inserted else { throw err("ROW field '\(fieldName)' is given twice", loc) }
            fields.append(RowField(name: fieldName, type: arg.type))
        }
        let cast = zip(args, fields).map { self.cast($0, to: $1.type) }
        let constants = cast.compactMap { e -> Value? in if case let .constant(v, _) = e { return v } else { return nil } }
        if constants.count == cast.count { return .constant(.row(constants, fields: fields), .row(fields)) }
        return .call(RowFunctions.constructor(fields), cast, .row(fields))
    }

    /// Field `selector` of a ROW value: a name (`r.x`, `r['x']`, case-insensitive) or a 1-based constant position (`r[1]`).
    func fieldAccess(_ value: BoundExpression, _ selector: Expression, at loc: SourceLocation) throws -> BoundExpression {
        guard let fields = value.type.rowFields else { throw err("cannot select a field of a value of type \(value.type); fields need a ROW", loc) }
        let index: Int
        switch selector.kind {
        case let .literal(.string(name)):
            guard let i = fields.firstIndex(where: { $0.name == name }) ?? fields.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw err("\(value.type) has no field '\(name)'" + NameSuggestion.hint(for: name, among: fields.map(\.name)), loc)
            }
            index = i
        case let .literal(.integer(text)):
            guard let position = Int(text), position >= 1, position <= fields.count else {
                throw err("ROW field position \(text) is out of range: \(value.type) has \(fields.count) fields", loc)
            }
            index = position - 1
        default:
            throw err("a ROW field is selected by a name or a constant position, as in r.x, r['x'] or r[1]", loc)
        }
        if case let .constant(v, _) = value {
            guard case let .row(values, _) = v else { return .constant(.null, fields[index].type) }
            return .constant(values[index], fields[index].type)
        }
        return .call(RowFunctions.field(index, name: fields[index].name), [value], fields[index].type)
    }

    /// `r.x`, `t.r.x`, `t.r.x.y`: the longest prefix naming a column of ROW type, then fields; nil when no prefix does.
    func resolveFieldPath(_ parts: [String], at loc: SourceLocation) throws -> BoundExpression? {
        guard parts.count >= 2 else { return nil }
        for length in stride(from: parts.count - 1, through: 1, by: -1) {
            let prefix = Array(parts[..<length])
            var base: BoundExpression?
            if case let .found(c) = scope.lookup(prefix) { base = .column(c.id, c.type) }
            else if let outer = try? binder.resolveOuter(prefix) { base = outer }
            guard var value = base, value.type.rowFields != nil else { continue }
            for field in parts[length...] {
                value = try fieldAccess(value, Expression(.literal(.string(field)), at: loc), at: loc)
            }
            return value
        }
        return nil
    }
}
