import Foundation
import Tarn
import Storage

/// The shell's dot commands (`.help`, `.tables`, `.schema`, `.mode`, …), available in scripts too.
enum DotCommand {
    static let names = [".help", ".tables", ".schema", ".history", ".mode", ".output", ".once", ".read", ".open", ".timer",
                        ".maxrows", ".maxwidth", ".headers", ".nullvalue", ".width", ".quit", ".exit"]

    static let help = """
    .help                 Show this help
    .tables               List tables and views
    .schema [TABLE]       Show CREATE statements (of every table, or of TABLE)
    .history TABLE        Show a table's versions (DESCRIBE HISTORY TABLE)
    .mode FORMAT          Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: "|"))
    .output [FILE]        Send results to FILE, or back to the terminal
    .once FILE            Send only the next result to FILE
    .maxrows N            Rows shown before the middle of a result is elided (0: all; default 40 on a terminal)
    .maxwidth N           Widest table in characters: long cells are cut, middle columns hidden (0: no limit)
    .headers on|off       Column names (and types) above the rows
    .nullvalue TEXT       Show NULL as TEXT
    .width N …            Column widths by position (0: automatic)
    .read FILE            Run the statements in FILE
    .open DIR             Open another lake
    .timer on|off         Show how long each statement takes
    .quit / .exit         Leave (Ctrl-D works too)
    Statements end with ';' and may span lines. Ctrl-C cancels a running query.
    Files straight from SQL: SELECT * FROM 'data.csv' (also .tsv .json .ndjson .parquet; the CSV delimiter is sniffed);
    DESCRIBE SELECT …; CREATE TEMP TABLE t AS … (this session only). DuckDB / PostgreSQL habits work too:
    DISTINCT ON (k), ORDER BY ALL, TRUNCATE t, E'\\t', x ~ 'regex', a // b, INTERVAL '1 day',
    generate_series(DATE '2024-01-01', DATE '2024-12-31', INTERVAL 1 DAY), string_agg(x, ',' ORDER BY y),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY x), concat_ws, arg_max / arg_min. All of it: docs/SQL.md.

    """

    static func run(_ line: String, in shell: ShellSession) throws {
        let words = arguments(of: line)
        guard let name = words.first?.lowercased() else { return }
        let rest = Array(words.dropFirst())
        switch name {
        case ".help": write(help, shell)
        case ".quit", ".exit", ".q": shell.requestQuit()
        case ".tables": write(try tableList(shell.database.lake), shell)
        case ".schema": write(try schemaText(shell.database.lake, table: rest.first), shell)
        case ".history":
            guard let table = rest.first else { throw CLIError("usage: .history TABLE") }
            try shell.runSQL("DESCRIBE HISTORY \(table)")
        case ".mode":
            guard let text = rest.first else { write("current mode: \(shell.format.rawValue)\n", shell); return }
            guard let format = OutputFormat(rawValue: text.lowercased()) else {
                throw CLIError("unknown mode '\(text)'; choose one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            shell.format = format
        case ".output": try shell.redirectOutput(to: rest.first)
        case ".once":
            guard let path = rest.first else { throw CLIError("usage: .once FILE") }
            try shell.redirectOnce(to: path)
        case ".maxrows": shell.display.maxRows = try count(rest, ".maxrows N")
        case ".maxwidth": shell.display.maxWidth = try count(rest, ".maxwidth N")
        case ".headers", ".header":
            switch rest.first?.lowercased() {
            case "on": shell.display.headers = true
            case "off": shell.display.headers = false
            default: throw CLIError("usage: .headers on|off")
            }
        case ".nullvalue":
            guard let text = rest.first else { throw CLIError("usage: .nullvalue TEXT") }
            shell.display.nullValue = text
        case ".width":
            shell.display.columnWidths = try rest.map { word in
                guard let n = Int(word), n >= 0 else { throw CLIError("usage: .width N … (whole numbers, 0 for automatic)") }
                return n
            }
        case ".read":
            guard let path = rest.first else { throw CLIError("usage: .read FILE") }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CLIError("cannot read \(path)") }
            shell.runScript(text)
        case ".open":
            guard let path = rest.first else { throw CLIError("usage: .open DIR") }
            try shell.open(lake: path)
        case ".timer":
            switch rest.first?.lowercased() {
            case "on": shell.timer = true
            case "off": shell.timer = false
            default: throw CLIError("usage: .timer on|off")
            }
        default: throw CLIError("unknown command \(name); try .help")
        }
    }

    /// The single non-negative whole number a dot command takes.
    private static func count(_ words: [String], _ usage: String) throws -> Int {
        guard words.count == 1, let n = Int(words[0]), n >= 0 else { throw CLIError("usage: \(usage) (a whole number ≥ 0)") }
        return n
    }

    /// Splits a dot command line into words; single or double quotes group words.
    static func arguments(of line: String) -> [String] {
        var words: [String] = [], current = "", quote: Character? = nil, inWord = false
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c; inWord = true
            } else if c.isWhitespace {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(c); inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    private static func write(_ text: String, _ shell: ShellSession) {
        shell.output.write(text)
        shell.output.flush()
    }

    private static func tableList(_ lake: Lake) throws -> String {
        let tables = try lake.tableNames(schema: nil).map(\.description)
        let views = try lake.viewNames(schema: nil).map { $0.description + " (view)" }
        let all = (tables + views).sorted()
        return all.isEmpty ? "no tables\n" : all.joined(separator: "\n") + "\n"
    }

    private static func schemaText(_ lake: Lake, table: String?) throws -> String {
        let tables = try lake.tableNames(schema: nil)
        let views = try lake.viewNames(schema: nil)
        func matches(_ name: TableName) -> Bool {
            guard let table else { return true }
            let wanted = table.lowercased()
            return name.description.lowercased() == wanted || "\(name.schema).\(name.name)".lowercased() == wanted
                || name.name.lowercased() == wanted
        }
        var out = ""
        for name in tables where matches(name) {
            let schema = try lake.snapshot(of: name).schema
            let columns = schema.fields.map { "  \($0.name) \($0.type)\($0.nullable ? "" : " NOT NULL")" }
            out += "CREATE TABLE \(name) (\n" + columns.joined(separator: ",\n") + "\n);\n"
        }
        for name in views where matches(name) {
            guard let view = try lake.view(name) else { continue }
            out += "CREATE VIEW \(name) AS \(view.sql.trimmingCharacters(in: .whitespacesAndNewlines));\n"
        }
        if out.isEmpty, let table { throw CLIError("no table or view named \(table)") }
        return out
    }
}
