import ArgumentParser
import Foundation
import Tarn

/// `tarn bench LAKE [--setup SQL] [--runs N] [--warmup W] [--threads T] [--write --before SQL] QUERY…` (hidden): runs
/// each query `warmup + runs` times in this one process and prints one line per timed run, `name<TAB>ms<TAB>rows`,
/// so benchmarks can time Tarn without process start-up. With `--write` the lake is opened for writing and `--before`
/// runs untimed before every run (e.g. a RESTORE that puts a MERGE's target back). Used by `benchmarks/run`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time queries in one process (for benchmarks/run).",
        shouldDisplay: false)

    @Argument(help: "The lake directory.")
    var lake: String

    @Option(help: "SQL run once before timing (e.g. USE adtech_db).")
    var setup: String?

    @Flag(help: "Open the lake for writing (for timing writing statements).")
    var write = false

    @Option(help: "SQL run untimed before every run of every query (with --write, e.g. a RESTORE).")
    var before: String?

    @Option(help: "Timed runs per query.")
    var runs: Int = 5

    @Option(help: "Untimed warm-up runs per query.")
    var warmup: Int = 1

    @Option(help: "Worker threads (SET threads).")
    var threads: Int?

    @Option(help: "A file of queries separated by lines holding only `-- name: NAME`.")
    var file: String?

    @Argument(help: "Queries as NAME=SQL.")
    var queries: [String] = []

    func run() throws {
        guard runs >= 1, warmup >= 0 else { throw CLIFailure.exit("--runs must be >= 1 and --warmup >= 0") }
        let database: Database
        do { database = try Database.open(lake, readOnly: !write) } catch {
            throw CLIFailure.exit("cannot open lake \(lake): \(ErrorPresenter.message(of: error))")
        }
        let session = database.connect()
        var list = try queries.map { entry -> (String, String) in
            guard let eq = entry.firstIndex(of: "=") else { throw CLIFailure.exit("expected NAME=SQL, got \(entry)") }
            return (String(entry[..<eq]), String(entry[entry.index(after: eq)...]))
        }
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIFailure.exit("cannot read \(file)") }
            list += Self.split(text)
        }
        let out = OutputChannel.standardOutput
        do {
            if let threads { try session.execute("SET threads = \(threads)") }
            if let setup { try session.execute(setup) }
        } catch {
            throw CLIFailure.exit("setup failed: \(ErrorPresenter.message(of: error))")
        }
        for (name, sql) in list {
            do {
                for i in 0..<(warmup + runs) {
                    if let before { try session.execute(before) }
                    let start = DispatchTime.now().uptimeNanoseconds
                    let results = try session.execute(sql)
                    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                    let rows = results.last?.rowCount ?? 0
                    if i >= warmup { out.write("\(name)\t\(String(format: "%.3f", elapsed))\t\(rows)\n"); out.flush() }
                }
            } catch {
                let message = ErrorPresenter.message(of: error).replacingOccurrences(of: "\n", with: " ")
                out.write("\(name)\tERROR\t\(message)\n"); out.flush()
            }
        }
    }

    /// Splits a query file on `-- name: X` lines.
    static func split(_ text: String) -> [(String, String)] {
        var result: [(String, String)] = []
        var name: String?
        var body = ""
        func flush() {
            if let name, !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { result.append((name, body)) }
            body = ""
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-- name:") {
                flush()
                name = line.dropFirst("-- name:".count).trimmingCharacters(in: .whitespaces)
            } else {
                body += line + "\n"
            }
        }
        flush()
        return result
    }
}
