import Storage

/// Writes a result set in the chosen output format; the one place that maps formats to formatters.
struct ResultRenderer {
    var format: OutputFormat
    /// Elide long results in the aligned formats (interactive use).
    var maxRows: Int? = nil
    /// Columns available for bar charts.
    var terminalWidth = 80
    /// Widest aligned table (nil: no limit).
    var maxWidth: Int? = nil
    var display = DisplayOptions()

    func render<Out: TextOutputStream>(_ result: ResultSet, to out: inout Out) throws {
        switch format {
        case .table, .box:
            var table = TableFormatter(style: format == .box ? .box : .ascii, maxRows: maxRows)
            table.maxWidth = maxWidth
            table.showHeader = display.headers
            table.nullText = display.nullValue ?? "NULL"
            table.fixedWidths = display.columnWidths
            try table.render(result, to: &out)
        case .csv: try DelimitedFormatter(dialect: .csv, headers: display.headers, nullText: display.nullValue).render(result, to: &out)
        case .tsv: try DelimitedFormatter(dialect: .tsv, headers: display.headers, nullText: display.nullValue).render(result, to: &out)
        case .list: try DelimitedFormatter(dialect: .list, headers: display.headers, nullText: display.nullValue).render(result, to: &out)
        case .json: try JSONFormatter(lineDelimited: false).render(result, to: &out)
        case .ndjson: try JSONFormatter(lineDelimited: true).render(result, to: &out)
        case .markdown: try MarkdownFormatter().render(result, to: &out)
        case .line: try LineFormatter().render(result, to: &out)
        case .bar: try BarChartFormatter(width: terminalWidth).render(result, to: &out)
        }
    }
}
