import ArgumentParser

/// How result sets are written: `.mode FORMAT` in the shell, `--format FORMAT` on the command line.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    case table, box, csv, tsv, list, json, ndjson, markdown, line, bar

    /// Formats that need every row before printing the first one (for column widths).
    var isAligned: Bool { self == .table || self == .box || self == .markdown || self == .bar }
}
