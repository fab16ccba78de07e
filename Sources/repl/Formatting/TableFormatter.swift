import Storage

/// Aligned tables with a header of column names and types, numbers right-aligned, a row count below,
/// and (with `maxRows`) the middle of a long result elided. Two styles: ASCII (`table`) and Unicode (`box`).
/// With `maxWidth`, a table wider than that first narrows its widest columns (cells cut with `…`), then hides middle
/// columns behind a `…` column, as DuckDB's box renderer does, and says how many columns it shows.
/// Widths count terminal cells, so CJK text and emoji stay aligned.
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
    /// Widest table printed, in terminal cells (nil: no limit).
    var maxWidth: Int? = nil
    /// Column names (and types) on top (`.headers off` hides them).
    var showHeader = true
    /// How NULL is shown (`.nullvalue`).
    var nullText = "NULL"
    /// Widths set with `.width` (0 or missing: automatic), by column position.
    var fixedWidths: [Int] = []

    /// Narrowest a column is made before columns are hidden.
    static let minimumColumnWidth = 6

    func render<Out: TextOutputStream>(_ result: ResultSet, to out: inout Out) {
        let total = result.rowCount
        let elide = maxRows.map { $0 > 0 && total > $0 } ?? false
        let half = max(1, (maxRows ?? 0) / 2)
        let text: (Value) -> String = { $0 == .null ? nullText : CellText.display($0) }
        let head = result.rows(0..<(elide ? half : total)).map { $0.map(text) }
        let tail = elide ? result.rows((total - half)..<total).map { $0.map(text) } : []
        let names = result.columns.map(\.name)
        let types = result.columns.map { $0.type.description }
        let typesShown = showTypes && showHeader
        var widths = result.columns.indices.map { i -> Int in
            if i < fixedWidths.count, fixedWidths[i] > 0 { return fixedWidths[i] }
            var w = showHeader ? CellText.width(names[i]) : 1
            if typesShown { w = max(w, CellText.width(types[i])) }
            for row in head + tail { w = max(w, CellText.width(row[i])) }
            return w
        }
        var shown = Array(widths.indices)
        if let maxWidth, !widths.isEmpty {
            (widths, shown) = Self.fit(widths, names: showHeader ? names : [], types: typesShown ? types : [], into: maxWidth)
        }
        let hidden = widths.count - shown.count
        // Positions drawn, with nil for the `…` column standing for the hidden ones.
        var drawn: [Int?] = shown.map { $0 }
        if hidden > 0 {
            let gap = shown.indices.dropFirst().first { shown[$0] != shown[$0 - 1] + 1 } ?? shown.count
            drawn.insert(nil, at: gap)
        }
        let drawnWidths = drawn.map { $0.map { widths[$0] } ?? 1 }
        let rightAligned = result.columns.map { $0.type.isNumeric }

        func rule(_ parts: (String, String, String, String)) -> String {
            parts.0 + drawnWidths.map { String(repeating: parts.1, count: $0 + 2) }.joined(separator: parts.2) + parts.3 + "\n"
        }
        func line(_ cells: [String], numeric: Bool) -> String {
            let v = style.vertical
            return v + drawn.map { position -> String in
                guard let i = position else { return " … " }
                let cell = CellText.truncate(cells[i], to: widths[i])
                return " " + CellText.pad(cell, to: widths[i], right: numeric && rightAligned[i]) + " "
            }.joined(separator: v) + v + "\n"
        }
        out.write(rule(style.top))
        if showHeader {
            out.write(line(names, numeric: false))
            if typesShown { out.write(line(types, numeric: false)) }
            out.write(rule(style.middle))
        }
        for row in head { out.write(line(row, numeric: true)) }
        if elide {
            let inner = drawnWidths.reduce(0, +) + 3 * drawnWidths.count - 1
            // The note may be wider than a narrow table (as before), but not than `maxWidth`.
            let note = CellText.truncate("… \(total - 2 * half) more rows …", to: max(1, (maxWidth ?? Int.max) - 2))
            let gap = max(0, inner - CellText.width(note))
            out.write(style.vertical + String(repeating: " ", count: gap / 2) + note
                      + String(repeating: " ", count: gap - gap / 2) + style.vertical + "\n")
            for row in tail { out.write(line(row, numeric: true)) }
        }
        out.write(rule(style.bottom))
        if showRowCount {
            var footer = total == 1 ? "1 row" : "\(total) rows"
            if hidden > 0 { footer += "  \(widths.count) columns (\(shown.count) shown)" }
            out.write(footer + "\n")
        }
    }

    /// Column widths and the positions shown so that the table is at most `maxWidth` cells wide: the widest columns
    /// are narrowed first (not below `minimumColumnWidth`, their type, or their name up to 12 cells of it); then
    /// columns are dropped from the middle, keeping the first and last ones alternately, with room for a `…` column.
    static func fit(_ natural: [Int], names: [String], types: [String], into maxWidth: Int) -> (widths: [Int], shown: [Int]) {
        func tableWidth(_ ws: [Int]) -> Int { ws.reduce(0, +) + 3 * ws.count + 1 }
        var widths = natural
        let floors = natural.indices.map { i -> Int in
            let name = i < names.count ? min(CellText.width(names[i]), 12) : 0
            let type = i < types.count ? CellText.width(types[i]) : 0
            return min(natural[i], max(minimumColumnWidth, name, type))
        }
        while tableWidth(widths) > maxWidth {
            guard let widest = widths.indices.filter({ widths[$0] > floors[$0] }).max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
        }
        guard tableWidth(widths) > maxWidth else { return (widths, Array(widths.indices)) }
        var left: [Int] = [], right: [Int] = []
        var used = 1 + 4  // outer border and the `…` column
        var fromLeft = true
        var lo = 0, hi = widths.count - 1
        while lo <= hi {
            let i = fromLeft ? lo : hi
            let cost = widths[i] + 3
            if used + cost > maxWidth { break }
            used += cost
            if fromLeft { left.append(i); lo += 1 } else { right.insert(i, at: 0); hi -= 1 }
            fromLeft.toggle()
        }
        if left.isEmpty, let first = widths.indices.first {
            // Not even one column fits: show the first, cut to what is left.
            widths[first] = max(1, maxWidth - 5 - 3)
            left = [first]
        }
        return (widths, left + right)
    }
}
