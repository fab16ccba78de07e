import ArgumentParser

/// How result sets are written: `.mode FORMAT` in the shell, `--format FORMAT` on the command line.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    case table, box, csv, tsv, list, json, ndjson, markdown, line, bar

    /// Formats that measure rows before printing them (column widths): `table` and `box` measure a bounded number
    /// (the shown head and tail, or a look-ahead), `bar` every row. The others write each batch as it comes.
    var isAligned: Bool { self == .table || self == .box || self == .bar }
}
