import Foundation
import Storage
import Tarn

/// Answers the catalog queries psql sends for `\dt`, `\dv`, `\d`, `\d NAME`, `\dn` and `\l` from the
/// lake's own catalog. Tarn has no `pg_catalog`, so the queries are recognised by what they select
/// from and answered with the columns psql reads. Relations get connection-local OIDs (from 16384).
/// Other `pg_catalog` queries that Tarn cannot run (psql's footers: policies, publications,
/// inheritance, statistics objects) answer with no rows.
final class CatalogEmulation {
    private var oids: [TableName: Int] = [:]
    private var relations: [Int: TableName] = [:]
    static let firstOID = 16_384

    private func oid(_ t: TableName) -> Int {
        if let o = oids[t] { return o }
        let o = Self.firstOID + oids.count
        oids[t] = o
        relations[o] = t
        return o
    }

    /// The answer to a recognised psql catalog query, or nil when `text` is something else.
    func answer(_ text: String, session: Session, database: String, user: String) throws -> StatementResult? {
        let q = text.lowercased()
        guard q.contains("pg_catalog.") else { return nil }
        let lake = session.database.lake
        if q.contains("from pg_catalog.pg_database d") {
            return Self.textResult(["Name", "Owner", "Encoding", "Collate", "Ctype", "ICU Locale", "Locale Provider", "Access privileges"],
                                   [[database, user, "UTF8", "C", "C", nil, "libc", nil]])
        }
        if q.contains("from pg_catalog.pg_namespace n"), q.contains("as \"name\""), !q.contains("pg_catalog.pg_class") {
            let names = try lake.schemaNames().sorted().filter { Self.matches($0, pattern(in: text, column: "n.nspname")) }
            return Self.textResult(["Name", "Owner"], names.map { [$0, user] })
        }
        if q.contains("from pg_catalog.pg_class c"), q.contains("as \"schema\""), q.contains("as \"name\""), q.contains("as \"type\"") {
            let kinds = relkinds(q)
            let schemaPattern = pattern(in: text, column: "n.nspname")
            let namePattern = pattern(in: text, column: "c.relname")
            var rows: [[String?]] = []
            for schema in try lake.schemaNames().sorted() where schemaPattern == nil ? schema == session.currentSchema : Self.matches(schema, schemaPattern) {
                if kinds.contains("r") {
                    for t in try lake.tableNames(schema: schema) where Self.matches(t.name, namePattern) { rows.append([schema, t.name, "table", user]) }
                }
                if kinds.contains("v") {
                    for v in try lake.viewNames(schema: schema) where Self.matches(v.name, namePattern) { rows.append([schema, v.name, "view", user]) }
                }
            }
            rows.sort { ($0[0] ?? "", $0[1] ?? "") < ($1[0] ?? "", $1[1] ?? "") }
            return Self.textResult(["Schema", "Name", "Type", "Owner"], rows)
        }
        // \d NAME, step 1: which relations match.
        if q.range(of: #"^\s*select c\.oid,\s*n\.nspname,\s*c\.relname\s+from pg_catalog\.pg_class c"#, options: .regularExpression) != nil {
            let schemaPattern = pattern(in: text, column: "n.nspname")
            let namePattern = pattern(in: text, column: "c.relname")
            var rows: [[String?]] = []
            for schema in try lake.schemaNames().sorted() where schemaPattern == nil ? schema == session.currentSchema : Self.matches(schema, schemaPattern) {
                let names = try lake.tableNames(schema: schema) + lake.viewNames(schema: schema)
                for t in names.sorted(by: { $0.name < $1.name }) where Self.matches(t.name, namePattern) {
                    rows.append([String(oid(t)), schema, t.name])
                }
            }
            return Self.textResult(["oid", "nspname", "relname"], rows)
        }
        // \d NAME, step 2: the relation's flags.
        if q.contains("c.relchecks, c.relkind, c.relhasindex"), let o = quotedOID(q, after: "c.oid = '"), let t = relations[o] {
            let kind = try lake.tableExists(t) ? "r" : "v"
            return Self.textResult(["relchecks", "relkind", "relhasindex", "relhasrules", "relhastriggers", "relrowsecurity",
                                    "relforcerowsecurity", "relhasoids", "relispartition", "reloptions", "reltablespace",
                                    "reloftype", "relpersistence", "relreplident", "amname"],
                                   [["0", kind, "f", "f", "f", "f", "f", "f", "f", "", "0", "", "p", "d", kind == "r" ? "heap" : nil]])
        }
        // \d NAME, step 3: the columns.
        if q.contains("from pg_catalog.pg_attribute a"), let o = quotedOID(q, after: "a.attrelid = '"), let t = relations[o] {
            let described = try session.execute("DESCRIBE \(Self.quoteIdentifier(t.schema)).\(Self.quoteIdentifier(t.name))").last?.rows ?? []
            var columns = ["attname", "format_type", "default", "attnotnull", "attcollation", "attidentity", "attgenerated"]
            let verbose = q.contains("a.attstorage")
            if verbose { columns += ["attstorage"] + (q.contains("attcompression") ? ["attcompression"] : []) + ["attstattarget", "description"] }
            let rows: [[String?]] = described.map { r in
                let name = r.first?.description ?? ""
                let type = DataType.parse(r.count > 1 ? r[1].description : "") ?? .varchar
                var row: [String?] = [name, Self.formatType(type), nil, (r.count > 2 && r[2].description == "NO") ? "t" : "f", nil, "", ""]
                if verbose { row += ["p"] + (q.contains("attcompression") ? [""] : []) + [nil, nil] }
                return row
            }
            return Self.textResult(columns, rows)
        }
        return nil
    }

    /// Whether `text` is a catalog query that may answer with no rows when Tarn cannot run it.
    static func isCatalogQuery(_ text: String) -> Bool {
        let q = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        guard q.hasPrefix("select") || q.hasPrefix("with") else { return false }
        return q.contains("pg_catalog.") || q.contains("information_schema.")
            || q.range(of: #"(from|join)\s+pg_[a-z_]+"#, options: .regularExpression) != nil
    }

    /// psql's `c.relkind IN ('r','p','v',…)` → the kinds listed.
    private func relkinds(_ q: String) -> Set<String> {
        guard let r = q.range(of: #"c\.relkind in \(([^)]*)\)"#, options: .regularExpression) else { return ["r", "v"] }
        return Set(q[r].split(separator: "'").filter { $0.count == 1 }.map(String.init))
    }

    /// The regular expression psql compares `column` with (`column OPERATOR(pg_catalog.~) '^(t)$'` or `column ~ '…'`).
    private func pattern(in text: String, column: String) -> String? {
        let escaped = NSRegularExpression.escapedPattern(for: column)
        let regex = escaped + #"\s+(?:OPERATOR\(pg_catalog\.~\)|~)\s+'((?:[^']|'')*)'"#
        guard let r = text.range(of: regex, options: [.regularExpression, .caseInsensitive]) else { return nil }
        let match = text[r]
        guard let open = match.firstIndex(of: "'") else { return nil }
        return String(match[match.index(after: open)...].dropLast()).replacingOccurrences(of: "''", with: "'")
    }

    private static func matches(_ name: String, _ pattern: String?) -> Bool {
        guard let pattern else { return true }
        guard let re = try? NSRegularExpression(pattern: pattern) else { return false }
        return re.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
    }

    private func quotedOID(_ q: String, after marker: String) -> Int? {
        guard let r = q.range(of: marker) else { return nil }
        return Int(q[r.upperBound...].prefix { $0.isNumber })
    }

    static func quoteIdentifier(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// PostgreSQL's `format_type` spelling of a Tarn type.
    static func formatType(_ t: DataType) -> String {
        switch t {
        case .boolean: return "boolean"
        case .integer: return "integer"
        case .bigint: return "bigint"
        case .double: return "double precision"
        case let .decimal(p, s): return "numeric(\(p),\(s))"
        case .varchar, .null: return "text"
        case .date: return "date"
        case .timestamp: return "timestamp without time zone"
        case .timestampTZ: return "timestamp with time zone"
        case .array, .row, .map: return "text"
        }
    }

    /// A result of text columns (nil = NULL).
    static func textResult(_ names: [String], _ rows: [[String?]]) -> StatementResult {
        let columns = names.indices.map { c -> Column in
            var strings = StringArray()
            var validity = [UInt8](repeating: 1, count: rows.count)
            for (i, r) in rows.enumerated() {
                if c < r.count, let v = r[c] { strings.append(v) } else { strings.appendEmpty(); validity[i] = 0 }
            }
            return Column(type: .varchar, data: .string(strings), validity: validity.contains(0) ? validity : nil)
        }
        return StatementResult(columns: names.map { Field(name: $0, type: .varchar) },
                               batches: rows.isEmpty ? [] : [Batch(columns: columns, count: rows.count)], rowCount: rows.count)
    }
}
