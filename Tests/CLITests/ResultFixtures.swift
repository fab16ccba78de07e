import Storage
@testable import repl

/// Small result sets for formatter tests.
enum ResultFixtures {
    /// id BIGINT, name VARCHAR, score DOUBLE, ok BOOLEAN, day DATE — with awkward strings and NULLs.
    static var awkward: ResultSet {
        var id = ColumnBuilder(type: .bigint), name = ColumnBuilder(type: .varchar), score = ColumnBuilder(type: .double)
        var ok = ColumnBuilder(type: .boolean), day = ColumnBuilder(type: .date)
        let rows: [(Int64, String?, Double?, Bool?, Int32?)] = [
            (1, "plain", 1.5, true, 0),
            (2, "a,b", 2, false, 19_863),
            (3, "say \"hi\"", nil, nil, nil),
            (4, "two\nlines", -0.25, true, 1),
            (5, nil, 100, false, 2),
            (6, "", 3, true, 3),
        ]
        for r in rows {
            id.append(int64: r.0)
            if let s = r.1 { name.append(string: s) } else { name.appendNull() }
            if let d = r.2 { score.append(double: d) } else { score.appendNull() }
            if let b = r.3 { ok.append(bool: b) } else { ok.appendNull() }
            if let d = r.4 { day.append(int32: d) } else { day.appendNull() }
        }
        let columns = [id.finish(), name.finish(), score.finish(), ok.finish(), day.finish()]
        return ResultSet(columns: [Field(name: "id", type: .bigint), Field(name: "name", type: .varchar), Field(name: "score", type: .double),
                                   Field(name: "ok", type: .boolean), Field(name: "day", type: .date)],
                         batches: [Batch(columns: columns).slice(0..<3), Batch(columns: columns).slice(3..<6)])
    }

    /// label VARCHAR, value BIGINT.
    static func labelled(_ pairs: [(String, Int64)]) -> ResultSet {
        var label = ColumnBuilder(type: .varchar), value = ColumnBuilder(type: .bigint)
        for (l, v) in pairs { label.append(string: l); value.append(int64: v) }
        return ResultSet(columns: [Field(name: "label", type: .varchar), Field(name: "value", type: .bigint)],
                         batches: [Batch(columns: [label.finish(), value.finish()])])
    }

    /// n BIGINT with values 1…count, in batches of 7.
    static func numbers(_ count: Int) -> ResultSet {
        var batches: [Batch] = []
        for start in stride(from: 1, through: count, by: 7) {
            let values = (start...min(count, start + 6)).map(Int64.init)
            batches.append(Batch(columns: [Column(type: .bigint, data: .int64(values))]))
        }
        return ResultSet(columns: [Field(name: "n", type: .bigint)], batches: batches)
    }

    static func render(_ result: ResultSet, _ format: OutputFormat, maxRows: Int? = nil, width: Int = 60) -> String {
        var out = ""
        do {
            try ResultRenderer(format: format, maxRows: maxRows, terminalWidth: width).render(result, to: &out)
        } catch {
            return "render failed: \(error)"
        }
        return out
    }
}
