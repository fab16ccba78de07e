/// How the shell shows results, set with dot commands as in DuckDB's and sqlite3's shells: `.maxrows N`,
/// `.maxwidth N`, `.headers on|off`, `.nullvalue TEXT`, `.width N …`.
struct DisplayOptions: Sendable {
    /// Rows shown in the aligned formats before the middle is elided (nil: the default for the context; 0: all).
    var maxRows: Int? = nil
    /// Widest table in terminal cells (nil: the terminal's width when interactive, no limit otherwise; 0: no limit).
    var maxWidth: Int? = nil
    var headers = true
    /// Text shown for NULL; nil keeps each format's own (`NULL` in tables, an empty field in CSV).
    var nullValue: String? = nil
    /// Column widths from `.width` (0: automatic).
    var columnWidths: [Int] = []
}
