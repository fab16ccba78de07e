import Storage

/// A GitHub-flavoured Markdown table; numeric columns right-aligned, `|` escaped.
struct MarkdownFormatter {
    func render<Out: TextOutputStream>(_ result: ResultSet, to out: inout Out) throws {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        out.write("| " + result.columns.map { cell($0.name) }.joined(separator: " | ") + " |\n")
        out.write("|" + result.columns.map { $0.type.isNumeric ? "---:" : "---" }.joined(separator: "|") + "|\n")
        try result.forEachRow { row in
            out.write("| " + row.map { cell(CellText.display($0)) }.joined(separator: " | ") + " |\n")
        }
    }
}
