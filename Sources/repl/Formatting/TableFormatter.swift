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

    /// Rows read before the column widths are fixed when a long result is printed in full (no `maxRows`): a result
    /// that ends within them prints exactly as if every row had been measured; later rows are streamed with those
    /// widths (a longer cell overflows its column rather than being cut, so no text is lost).
    var lookAhead = 10_000

    /// Writes `result`, holding at most `maxRows` rows (the head and a ring of the tail) when eliding, and at most
    /// `lookAhead` rows otherwise, whatever the result's length.
    func render<Out: TextOutputStream>(_ result: ResultSet, to out: inout Out) throws {
        let text: ([Value]) -> [String] = { $0.map { $0 == .null ? nullText : CellText.display($0) } }
        if let maxRows, maxRows > 0 {
            let half = max(1, maxRows / 2)
            var head: [[String]] = []
            var tail = TailRing(capacity: max(maxRows - half, half))
            var total = 0
            try result.forEachRow { row in
                total += 1
                if head.count < half { head.append(text(row)) } else { tail.append(text(row)) }
            }
            let elide = total > maxRows
            let tailRows = elide ? Array(tail.rows.suffix(half)) : tail.rows
            let layout = self.layout(result.columns, rows: head + tailRows)
            layout.writeTop(to: &out)
            for row in head { layout.writeRow(row, to: &out) }
            if elide { layout.writeGap("… \(total - head.count - tailRows.count) more rows …", maxWidth: maxWidth, to: &out) }
            for row in tailRows { layout.writeRow(row, to: &out) }
            layout.writeBottom(total: total, to: &out)
            return
        }
        var buffered: [[String]] = []
        var layout: Layout?
        var total = 0
        try result.forEachRow { row in
            total += 1
            if let layout { layout.writeRow(text(row), to: &out); return }
            buffered.append(text(row))
            guard buffered.count >= lookAhead else { return }
            let fixed = self.layout(result.columns, rows: buffered)
            fixed.writeTop(to: &out)
            for r in buffered { fixed.writeRow(r, to: &out) }
            buffered = []
            layout = fixed
        }
        let final = layout ?? self.layout(result.columns, rows: buffered)
        if layout == nil {
            final.writeTop(to: &out)
            for r in buffered { final.writeRow(r, to: &out) }
        }
        final.writeBottom(total: total, to: &out)
    }

    /// The last `capacity` rows seen (the tail of an elided table), in a ring.
    private struct TailRing {
        let capacity: Int
        private var storage: [[String]] = []
        private var start = 0
        init(capacity: Int) { self.capacity = capacity }
        mutating func append(_ row: [String]) {
            if storage.count < capacity { storage.append(row); return }
            storage[start] = row
            start = (start + 1) % capacity
        }
        var rows: [[String]] { Array(storage[start...] + storage[..<start]) }
    }

    /// Widths, shown columns and drawing of a table, fixed from the rows measured.
    private struct Layout {
        let style: Style
        let names: [String]
        let types: [String]
        let showHeader: Bool
        let typesShown: Bool
        let showRowCount: Bool
        let widths: [Int]
        /// Columns whose cells are cut to their width (narrowed to fit, or set by `.width`); others pad and overflow.
        let cut: [Bool]
        let shown: [Int]
        /// Positions drawn, with nil for the `…` column standing for the hidden ones.
        let drawn: [Int?]
        let drawnWidths: [Int]
        let rightAligned: [Bool]

        func rule(_ parts: (String, String, String, String)) -> String {
            parts.0 + drawnWidths.map { String(repeating: parts.1, count: $0 + 2) }.joined(separator: parts.2) + parts.3 + "\n"
        }

        func line(_ cells: [String], numeric: Bool) -> String {
            let v = style.vertical
            return v + drawn.map { position -> String in
                guard let i = position else { return " … " }
                let cell = cut[i] ? CellText.truncate(cells[i], to: widths[i]) : cells[i]
                return " " + CellText.pad(cell, to: widths[i], right: numeric && rightAligned[i]) + " "
            }.joined(separator: v) + v + "\n"
        }

        func writeTop<Out: TextOutputStream>(to out: inout Out) {
            out.write(rule(style.top))
            if showHeader {
                out.write(line(names, numeric: false))
                if typesShown { out.write(line(types, numeric: false)) }
                out.write(rule(style.middle))
            }
        }

        func writeRow<Out: TextOutputStream>(_ row: [String], to out: inout Out) { out.write(line(row, numeric: true)) }

        /// The `… N more rows …` line of an elided table.
        func writeGap<Out: TextOutputStream>(_ text: String, maxWidth: Int?, to out: inout Out) {
            let inner = drawnWidths.reduce(0, +) + 3 * drawnWidths.count - 1
            // The note may be wider than a narrow table (as before), but not than `maxWidth`.
            let note = CellText.truncate(text, to: max(1, (maxWidth ?? Int.max) - 2))
            let gap = max(0, inner - CellText.width(note))
            out.write(style.vertical + String(repeating: " ", count: gap / 2) + note
                      + String(repeating: " ", count: gap - gap / 2) + style.vertical + "\n")
        }

        func writeBottom<Out: TextOutputStream>(total: Int, to out: inout Out) {
            out.write(rule(style.bottom))
            guard showRowCount else { return }
            var footer = total == 1 ? "1 row" : "\(total) rows"
            let hidden = widths.count - shown.count
            if hidden > 0 { footer += "  \(widths.count) columns (\(shown.count) shown)" }
            out.write(footer + "\n")
        }
    }

    /// The layout for `columns` measured over `rows` (cell texts).
    private func layout(_ columns: [Field], rows: [[String]]) -> Layout {
        let names = columns.map(\.name)
        let types = columns.map { $0.type.description }
        let typesShown = showTypes && showHeader
        let natural = columns.indices.map { i -> Int in
            if i < fixedWidths.count, fixedWidths[i] > 0 { return fixedWidths[i] }
            var w = showHeader ? CellText.width(names[i]) : 1
            if typesShown { w = max(w, CellText.width(types[i])) }
            for row in rows { w = max(w, CellText.width(row[i])) }
            return w
        }
        var widths = natural
        var shown = Array(widths.indices)
        if let maxWidth, !widths.isEmpty {
            (widths, shown) = Self.fit(widths, names: showHeader ? names : [], types: typesShown ? types : [], into: maxWidth)
        }
        let cut = widths.indices.map { i in widths[i] < natural[i] || (i < fixedWidths.count && fixedWidths[i] > 0) }
        var drawn: [Int?] = shown.map { $0 }
        if widths.count > shown.count {
            let gap = shown.indices.dropFirst().first { shown[$0] != shown[$0 - 1] + 1 } ?? shown.count
            drawn.insert(nil, at: gap)
        }
        return Layout(style: style, names: names, types: types, showHeader: showHeader, typesShown: typesShown,
                      showRowCount: showRowCount, widths: widths, cut: cut, shown: shown, drawn: drawn,
                      drawnWidths: drawn.map { $0.map { widths[$0] } ?? 1 }, rightAligned: columns.map { $0.type.isNumeric })
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
