import Storage

/// Aligned tables with a header of column names and types, numbers right-aligned, a row count below,
/// and (with `maxRows`) the middle of a long result elided. Two styles: ASCII (`table`) and Unicode (`box`).
struct TableFormatter {
    /// The characters a table is drawn with.
    struct Style: Sendable {
        var top: (String, String, String, String)
        var middle: (String, String, String, String)
        var bottom: (String, String, String, String)
        var vertical: String

        static let ascii = Style(top: ("+", "-", "+", "+"), middle: ("+", "-", "+", "+"), bottom: ("+", "-", "+", "+"), vertical: "|")
        static let box = Style(top: ("┌", "─", "┬", "┐"), middle: ("├", "─", "┼", "┤"), bottom: ("└", "─", "┴", "┘"), vertical: "│")
    }

    var style: Style = .ascii
    /// Longest result printed in full; longer ones show the first and last `maxRows / 2` rows.
    var maxRows: Int? = nil
    var showTypes = true
    var showRowCount = true

    func render<Out: TextOutputStream>(_ result: ResultSet, to out: inout Out) {
        let total = result.rowCount
        let elide = maxRows.map { total > $0 } ?? false
        let half = (maxRows ?? 0) / 2
        let head = result.rows(0..<(elide ? half : total)).map { $0.map(CellText.display) }
        let tail = elide ? result.rows((total - half)..<total).map { $0.map(CellText.display) } : []
        let names = result.columns.map(\.name)
        let types = result.columns.map { $0.type.description }
        var widths = zip(names, types).map { max(CellText.width($0), showTypes ? CellText.width($1) : 0) }
        for row in head + tail { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], CellText.width(cell)) } }
        let rightAligned = result.columns.map { $0.type.isNumeric }

        func rule(_ parts: (String, String, String, String)) -> String {
            parts.0 + widths.map { String(repeating: parts.1, count: $0 + 2) }.joined(separator: parts.2) + parts.3 + "\n"
        }
        func line(_ cells: [String], align: [Bool]) -> String {
            let v = style.vertical
            return v + zip(cells, widths).enumerated().map { i, pair in
                " " + CellText.pad(pair.0, to: pair.1, right: align[i]) + " "
            }.joined(separator: v) + v + "\n"
        }
        let left = [Bool](repeating: false, count: widths.count)
        out.write(rule(style.top))
        out.write(line(names, align: left))
        if showTypes { out.write(line(types, align: left)) }
        out.write(rule(style.middle))
        for row in head { out.write(line(row, align: rightAligned)) }
        if elide {
            let inner = widths.reduce(0, +) + 3 * widths.count - 1
            let note = "… \(total - 2 * half) more rows …"
            let gap = max(0, inner - CellText.width(note))
            out.write(style.vertical + String(repeating: " ", count: gap / 2) + note
                      + String(repeating: " ", count: gap - gap / 2) + style.vertical + "\n")
            for row in tail { out.write(line(row, align: rightAligned)) }
        }
        out.write(rule(style.bottom))
        if showRowCount { out.write(total == 1 ? "1 row\n" : "\(total) rows\n") }
    }
}
