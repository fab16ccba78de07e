import Foundation
import Storage
import Tarn
import Execution
import Server

/// Runs one fuzz input against one target. Set-up (a lake, a reference data file) happens once in `init`, in a
/// private temporary folder removed by `close()`. Errors thrown by Tarn are the expected result for bad input;
/// a crash (trap, signal) or a `.violation` is a bug.
public final class FuzzHarness {
    public let target: FuzzTarget
    let folder: String
    private var session: Session?
    private var referenceRows: [[Value]] = []
    private var inputPath: String
    /// The `pgwire` target's two servers over one read-only lake: trust and SCRAM authentication.
    private var replays: [WireProtocolReplay] = []
    /// Statements longer than this are cut: the fuzzer looks for crashes, not for slow giant queries.
    public static let maxSQLBytes = 4096

    public init(target: FuzzTarget) throws {
        self.target = target
        folder = NSTemporaryDirectory() + "tarn-fuzz-\(target.rawValue)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        inputPath = folder + "/input"
        switch target {
        case .sql:
            let lake = folder + "/lake"
            let setup = try Database.open(lake).connect()
            try setup.execute(FuzzCorpus.sqlSetup)
            // Read-only from here: fuzzed DDL and DML fail instead of changing the lake between inputs.
            session = try Database.open(lake, readOnly: true).connect()
            session?.settings.threads = 1  // one input at a time; worker threads only add noise and overhead
        case .datafile:
            inputPath += ".tarn"
            let batch = FuzzCorpus.referenceBatch()
            referenceRows = (0..<batch.count).map { batch.row($0) }
        case .json:
            inputPath += ".json"
            session = try Database.open(folder + "/lake").connect()
            session?.settings.threads = 1
        case .csv:
            inputPath += ".csv"
            session = try Database.open(folder + "/lake").connect()
            session?.settings.threads = 1
        case .parquet:
            inputPath += ".parquet"
            session = try Database.open(folder + "/lake").connect()
            session?.settings.threads = 1
        case .pgwire:
            let lake = folder + "/lake"
            let setup = try Database.open(lake).connect()
            try setup.execute(FuzzCorpus.sqlSetup)
            let database = try Database.open(lake, readOnly: true)
            replays = [ServerConfiguration.Authentication.trust, .scram].map { authentication in
                var configuration = ServerConfiguration(authentication: authentication)
                configuration.maxMessageLength = 1 << 20
                return WireProtocolReplay(database: database, configuration: configuration)
            }
        }
    }

    /// Removes the temporary folder.
    public func close() { try? FileManager.default.removeItem(atPath: folder) }

    /// Runs one input.
    public func run(_ input: [UInt8]) -> FuzzOutcome {
        switch target {
        case .sql: return runSQL(input)
        case .datafile: return runDataFile(input)
        case .json: return runFile(input, query: "SELECT * FROM read_json('\(inputPath)')")
        case .csv: return runFile(input, query: "SELECT * FROM read_csv('\(inputPath)')")
        case .parquet: return runFile(input, query: "SELECT * FROM read_parquet('\(inputPath)')")
        case .pgwire: return runWire(input)
        }
    }

    private func runSQL(_ input: [UInt8]) -> FuzzOutcome {
        guard let session else { return .rejected }
        let text = String(decoding: input.prefix(Self.maxSQLBytes), as: UTF8.self)
        // Statements that would only be slow or huge (cross products of series, giant repeats) are not the point.
        let lower = text.lowercased()
        for word in Self.skippedWords where lower.contains(word) {
            return .rejected
        }
        do {
            let statements = try session.parse(text)
            for statement in statements.prefix(4) {
                let progress = QueryProgress()
                let watchdog = DispatchWorkItem { progress.cancel() }
                DispatchQueue.global().asyncAfter(deadline: .now() + 2, execute: watchdog)
                defer { watchdog.cancel() }
                _ = try session.execute(statement, progress: progress)
            }
            return .accepted
        } catch {
            return .rejected
        }
    }

    /// The words that make the `sql` target skip an input: slow or huge statements, and files outside the lake.
    static let skippedWords = ["generate_series", "range(", "repeat", "sequence", "sleep", "unnest", "copy", "attach",
                               "read_", "export", "demo", "generate_", "mmm", "fit_", "statement_timeout"]

    private func runWire(_ input: [UInt8]) -> FuzzOutcome {
        guard let mode = input.first, replays.count == 2 else { return .rejected }
        let lower = String(decoding: input, as: UTF8.self).lowercased()
        for word in Self.skippedWords where lower.contains(word) { return .rejected }
        let outcome = replays[Int(mode & 1)].run(Array(input.dropFirst()))
        if let violation = outcome.violation { return .violation(violation) }
        return outcome.framingError == nil ? .accepted : .rejected
    }

    private func runDataFile(_ input: [UInt8]) -> FuzzOutcome {
        guard FileManager.default.createFile(atPath: inputPath, contents: Data(input)) else { return .rejected }
        do {
            let reader = try DataFileReader(path: inputPath)
            var rows: [[Value]] = []
            for group in reader.rowGroups.indices {
                let batch = try reader.readRowGroup(group)
                guard batch.count == reader.rowGroups[group].rowCount else {
                    return .violation("row group \(group) decoded \(batch.count) rows, footer says \(reader.rowGroups[group].rowCount)")
                }
                for column in batch.columns where column.count != batch.count {
                    return .violation("row group \(group) has a column of \(column.count) values in a batch of \(batch.count)")
                }
                rows += (0..<batch.count).map { batch.row($0) }
            }
            // Every byte of a data file is covered by a checksum or validated, so a file that reads at all must
            // be the reference file (or another valid file the fuzzer built from scratch, which cannot share the
            // reference's footer checksum by chance): the reference's footer means the reference's rows.
            if input.count == FuzzCorpus.referenceFile.count, rows.count == referenceRows.count, rows != referenceRows,
               reader.schema == FuzzCorpus.referenceSchema {
                return .violation("a mutated copy of the reference file read without error but gave different rows")
            }
            return .accepted
        } catch {
            return .rejected
        }
    }

    private func runFile(_ input: [UInt8], query: String) -> FuzzOutcome {
        guard let session, FileManager.default.createFile(atPath: inputPath, contents: Data(input)) else { return .rejected }
        do {
            _ = try session.execute(query)
            return .accepted
        } catch {
            return .rejected
        }
    }
}
