import Storage

/// One `column = value` line per column, rows separated by a blank line (sqlite3's `.mode line`).
struct LineFormatter {
    func render<Out: TextOutputStream>(_ result: ResultSet, to out: inout Out) throws {
        let width = result.columns.map { CellText.width($0.name) }.max() ?? 0
        let labels = result.columns.map { CellText.pad($0.name, to: width, right: true) + " = " }
        var first = true
        try result.forEachRow { row in
            if !first { out.write("\n") }
            first = false
            for (i, value) in row.enumerated() { out.write(labels[i] + CellText.display(value) + "\n") }
        }
    }
}
