import Storage

/// A horizontal bar chart of a (label, number) result, drawn with █ and the eighth blocks ▏▎▍▌▋▊▉.
///
/// Labels are left-aligned, values printed after each bar, and the whole chart fits `width` columns.
/// The label is the first column and the value the first numeric column after it; negative values draw
/// no bar. Results without a numeric column fall back to a table.
struct BarChartFormatter {
    var width = 80
    var maxLabelWidth = 32

    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The value column, or nil when the result cannot be charted.
    static func valueColumn(of columns: [Field]) -> Int? {
        guard columns.count >= 2 else { return nil }
        return columns.indices.dropFirst().first { columns[$0].type.isNumeric }
    }

    func render<Out: TextOutputStream>(_ result: ResultSet, to out: inout Out) throws {
        guard let valueIndex = Self.valueColumn(of: result.columns) else {
            try TableFormatter().render(result, to: &out)
            return
        }
        var entries: [(label: String, text: String, value: Double)] = []
        try result.forEachRow { row in
            var label = CellText.display(row[0])
            if CellText.width(label) > maxLabelWidth { label = String(label.prefix(maxLabelWidth - 1)) + "…" }
            entries.append((label, CellText.display(row[valueIndex]), row[valueIndex].doubleValue ?? 0))
        }
        let labelWidth = entries.map { CellText.width($0.label) }.max() ?? 0
        let textWidth = entries.map { CellText.width($0.text) }.max() ?? 0
        let barWidth = max(10, width - labelWidth - textWidth - 4)
        let maximum = entries.map(\.value).filter(\.isFinite).max() ?? 0
        for entry in entries {
            out.write(CellText.pad(entry.label, to: labelWidth, right: false) + " │")
            let bar = Self.bar(value: entry.value, maximum: maximum, width: barWidth)
            out.write(bar + String(repeating: " ", count: barWidth - CellText.width(bar) + 1))
            out.write(CellText.pad(entry.text, to: textWidth, right: true) + "\n")
        }
    }

    /// The bar for `value` on a scale where `maximum` fills `width` cells, to an eighth of a cell.
    static func bar(value: Double, maximum: Double, width: Int) -> String {
        guard value > 0, maximum > 0, value.isFinite else { return "" }
        let eighthsTotal = Int((min(value / maximum, 1) * Double(width * 8)).rounded())
        return String(repeating: "█", count: eighthsTotal / 8) + eighths[eighthsTotal % 8]
    }
}
