import Server
import Storage
import Tarn

/// Runs SQL text for a web request in a fresh session: every statement is checked against the READ ONLY write
/// policy before any runs, so a refused script changes nothing. Returns the last result set.
enum ReadOnlyQuery {
    static func run(_ sql: String, database: Database, files: FileAccessGuard) throws -> StatementResult {
        let session = database.connect()
        files.guardSession(session)
        let statements = try session.parse(sql)
        for statement in statements {
            if WireProtocolPolicy.writes(statement.statement) { throw WireProtocolPolicy.readOnlyError() }
            try files.check(statement.statement)
        }
        var last = StatementResult(columns: [], batches: [], rowCount: 0)
        for statement in statements {
            let result = try session.execute(statement)
            if result.hasResultSet || statements.count == 1 { last = result }
        }
        return last
    }
}

/// `/query`'s answers: the result as JSON (`columns`, `types`, `rows`) or CSV, errors as JSON with SQLSTATE.
enum QueryResultEncoding {
    static func json(_ result: StatementResult) -> String {
        var out = "{\"columns\":[" + result.columns.map { JSONText.quoted($0.name) }.joined(separator: ",") + "],"
        out += "\"types\":[" + result.columns.map { JSONText.quoted($0.type.description) }.joined(separator: ",") + "],"
        out += "\"rows\":["
        var first = true
        for batch in result.batches {
            for r in 0..<batch.count {
                out += first ? "[" : ",\n["
                first = false
                let row = batch.row(r)
                for (i, value) in row.enumerated() {
                    if i > 0 { out += "," }
                    out += literal(value)
                }
                out += "]"
            }
        }
        return out + "]}\n"
    }

    /// One value as the REPL's `--format json` writes it (numbers as numbers, NaN/±Infinity as null).
    static func literal(_ value: Value) -> String { JSONText.literal(value) }

    /// RFC 4180: a header line, fields quoted when they hold a comma, quote or line break; NULL is empty.
    static func csv(_ result: StatementResult) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = result.columns.map { field($0.name) }.joined(separator: ",") + "\r\n"
        for batch in result.batches {
            for r in 0..<batch.count {
                out += batch.row(r).map { $0.isNull ? "" : field($0.description) }.joined(separator: ",") + "\r\n"
            }
        }
        return out
    }

    static func error(_ e: ServerError) -> String {
        var out = "{\"error\":\(JSONText.quoted(e.message)),\"sqlstate\":\(JSONText.quoted(e.sqlState))"
        if let p = e.position { out += ",\"position\":\(p)" }
        return out + "}\n"
    }

    /// HTTP status for a failed statement: 403 for a refused write, 400 otherwise.
    static func status(_ e: ServerError) -> Int { e.sqlState == "25006" ? 403 : 400 }
}
