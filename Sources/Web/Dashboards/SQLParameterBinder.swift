/// Puts filter values into a dashboard's SQL, never as raw text: `${name}` becomes a quoted SQL string literal
/// (or NULL when unset), `${name|number}` a validated number, `${name|ident}` a double-quoted (schema.)identifier.
/// An optional clause `[[AND country = ${country}]]` is kept only when every filter it names is set, so an unset
/// filter costs nothing at run time (no `${x} IS NULL OR …` evaluated on every row).
enum SQLParameterBinder {
    static func bind(_ sql: String, _ values: [String: String]) throws -> String {
        try substitute(try optionalClauses(sql, values), values)
    }

    /// Keeps or drops each `[[ … ]]` (not nested).
    static func optionalClauses(_ sql: String, _ values: [String: String]) throws -> String {
        var out = ""
        var rest = sql[...]
        while let open = rest.range(of: "[[") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "]]") else { throw DashboardError("[[ without ]] in SQL") }
            let inner = rest[open.upperBound..<close.lowerBound]
            guard !inner.contains("[[") else { throw DashboardError("[[ … ]] clauses cannot be nested") }
            var names: [String] = []
            var scan = inner
            while let p = scan.range(of: "${"), let end = scan[p.upperBound...].firstIndex(of: "}") {
                names.append(scan[p.upperBound..<end].split(separator: "|").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "")
                scan = scan[scan.index(after: end)...]
            }
            if names.allSatisfy({ !(values[$0] ?? "").isEmpty }) { out += inner }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    static func substitute(_ sql: String, _ values: [String: String]) throws -> String {
        var out = ""
        var rest = sql[...]
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                throw DashboardError("unterminated ${ in SQL")
            }
            let spec = rest[open.upperBound..<close]
            let parts = spec.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let name = parts.first ?? ""
            let kind = parts.count > 1 ? parts[1].lowercased() : "text"
            out += try literal(values[name], kind: kind, name: name)
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    static func literal(_ value: String?, kind: String, name: String) throws -> String {
        guard let value, !value.isEmpty else { return "NULL" }
        switch kind {
        case "date":
            let digits = value.filter(\.isNumber).count
            guard value.count == 10, digits == 8, value.split(separator: "-").count == 3 else {
                throw DashboardError("filter \(name): \(value) is not a date (YYYY-MM-DD)")
            }
            return "'" + value + "'"
        case "text":
            return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
        case "number":
            guard let d = Double(value), d.isFinite, value.allSatisfy({ "0123456789.-+eE".contains($0) }) else {
                throw DashboardError("filter \(name): \(value) is not a number")
            }
            return value
        case "ident":
            let parts = value.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
                throw DashboardError("filter \(name): \(value) is not a table name (schema.table)")
            }
            return parts.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ".")
        default:
            throw DashboardError("${\(name)|\(kind)}: unknown binding (text, number or ident)")
        }
    }
}
