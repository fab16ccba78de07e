import Storage

/// Runs a physical plan to completion.
public enum PlanExecutor {
    /// Opens `op`, pulls every batch, closes it (also on error).
    public static func collect(_ op: PhysicalOperator, _ context: ExecutionContext) throws -> [Batch] {
        try op.open(context)
        defer { op.close() }
        var out: [Batch] = []
        while let b = try op.next() {
            try context.progress.checkCancelled()
            if b.count > 0 { out.append(b) }
        }
        return out
    }

    /// Same as `collect(_:_:)` with the context labelled.
    public static func collect(_ op: PhysicalOperator, context: ExecutionContext) throws -> [Batch] { try collect(op, context) }
}

/// Renders a plan as an indented tree for EXPLAIN; with `analyze`, each line also shows the rows the
/// operator produced, the planner's estimate of them (`est=`, where recorded), its time (inclusive of its children) and extras such as row groups and bytes read.
public enum ExplainFormatter {
    public static func render(_ op: PhysicalOperator, analyze: Bool) -> [String] {
        var lines: [String] = []
        render(op, depth: 0, analyze: analyze, into: &lines)
        return lines
    }

    private static func render(_ op: PhysicalOperator, depth: Int, analyze: Bool, into lines: inout [String]) {
        var line = String(repeating: "  ", count: depth) + (depth > 0 ? "-> " : "") + op.explainLine
        if analyze {
            let s = op.statistics
            let ms = Double(s.nanos) / 1_000_000
            line += " (rows=\(s.rows)"
            if let estimate = s.estimatedRows, estimate.isFinite { line += " est=\(Int(estimate.rounded()))" }
            line += " time=\(ValueFormatting.format(double: (ms * 1000).rounded() / 1000))ms"
            let extra = s.extra
            let ordered = ["row_groups_total", "row_groups_skipped", "bytes_read"].filter { extra[$0] != nil }
                + extra.keys.filter { !["row_groups_total", "row_groups_skipped", "bytes_read"].contains($0) }.sorted()
            for k in ordered { if let v = extra[k] { line += " \(k)=\(v)" } }
            line += ")"
        }
        lines.append(line)
        for c in op.children { render(c, depth: depth + 1, analyze: analyze, into: &lines) }
    }
}
