import Storage

/// Writes a result set in the chosen output format; the one place that maps formats to formatters.
struct ResultRenderer {
    var format: OutputFormat
    /// Elide long results in the aligned formats (interactive use).
    var maxRows: Int? = nil
    /// Columns available for bar charts.
    var terminalWidth = 80

    func render<Out: TextOutputStream>(_ result: ResultSet, to out: inout Out) {
        switch format {
        case .table: TableFormatter(style: .ascii, maxRows: maxRows).render(result, to: &out)
        case .box: TableFormatter(style: .box, maxRows: maxRows).render(result, to: &out)
        case .csv: DelimitedFormatter(dialect: .csv).render(result, to: &out)
        case .tsv: DelimitedFormatter(dialect: .tsv).render(result, to: &out)
        case .json: JSONFormatter(lineDelimited: false).render(result, to: &out)
        case .ndjson: JSONFormatter(lineDelimited: true).render(result, to: &out)
        case .markdown: MarkdownFormatter().render(result, to: &out)
        case .line: LineFormatter().render(result, to: &out)
        case .bar: BarChartFormatter(width: terminalWidth).render(result, to: &out)
        }
    }
}
