import Foundation
import Storage
import Parquet
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Publishes a Tarn table as a Delta Lake table: one commit file per Tarn version (Tarn version n is Delta
/// version n), each Tarn data file translated once into one Parquet data file, `add`/`remove` actions from the
/// difference between consecutive versions, a new `metaData` when the schema changes. Re-running publishes only
/// the versions committed since; the Delta copy keeps its own Parquet files, so Tarn's VACUUM never breaks it.
public final class DeltaPublisher {
    public let lake: Lake
    public let table: TableName
    /// The Delta table's root folder.
    public let root: String
    public var options: ParquetWriteOptions

    /// What one `publish()` did.
    public struct Summary: Sendable {
        /// The versions written by this run (empty when the copy was already current).
        public var versions: ClosedRange<Int64>?
        public var parquetFilesWritten: Int
        public var bytesWritten: Int
        public var latestVersion: Int64
    }

    /// The Tarn column id each published column came from, kept in the Delta field metadata so a later run can
    /// tell a renamed or retyped column (which plain Delta cannot express) from a new one.
    static let columnIdKey = "tarn.columnId"

    public init(lake: Lake, table: TableName, root: String, options: ParquetWriteOptions = ParquetWriteOptions(compression: .snappy)) {
        self.lake = lake
        self.table = table
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
        self.options = options
    }

    /// The state of the copy as published so far.
    private struct Published {
        var version: Int64 = -1
        var fields: [DeltaField] = []
        var schemaString = ""
        var live: [String: DeltaAddFile] = [:]
        /// Every add ever written, by path (a RESTORE adds a file again with the stats it had).
        var known: [String: DeltaAddFile] = [:]
        var tableId: String?
        /// `metaData.createdTime` (milliseconds): version 0's commit time.
        var createdTime: Int64?
        /// The columns each data file holds (lower-cased name → Tarn column id and Delta type), as of the version
        /// that first added it.
        var fileColumns: [String: [String: (id: String, type: String)]] = [:]
    }

    static func columnMap(_ fields: [DeltaField]) -> [String: (id: String, type: String)] {
        Dictionary(fields.map { ($0.name.lowercased(), (id: $0.metadata[columnIdKey] ?? "", type: $0.type)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Publishes every Tarn version not yet in the copy.
    public func publish() throws -> Summary {
        let history = try lake.history(of: table).sorted { $0.version < $1.version }
        guard let latest = history.last else { throw TarnError.semantic("table '\(table)' has no versions") }
        let uuid = try lake.snapshot(of: table).uuid
        var published = try readPublished()
        if let id = published.tableId, id != uuid {
            throw TarnError.semantic("\(root) holds another Delta table (id \(id)); table '\(table)' is \(uuid)")
        }
        var summary = Summary(versions: nil, parquetFilesWritten: 0, bytesWritten: 0, latestVersion: latest.version)
        guard published.version < latest.version else { return summary }
        try FileManager.default.createDirectory(atPath: root + "/_delta_log", withIntermediateDirectories: true)
        let first = published.version + 1
        for info in history where info.version >= first {
            try publish(info, uuid: uuid, into: &published, summary: &summary)
        }
        summary.versions = first...latest.version
        return summary
    }

    private func readPublished() throws -> Published {
        var state = Published()
        guard FileManager.default.fileExists(atPath: root + "/_delta_log") else { return state }
        let log = try DeltaLog(root: root)
        for v in log.commitVersions {
            guard v == state.version + 1 else {
                throw TarnError.corruption("\(root): the Delta log lacks version \(state.version + 1) before \(v); it was not written by EXPORT … (FORMAT delta)")
            }
            let path = log.commitPath(v)
            guard let data = FileManager.default.contents(atPath: path) else { throw TarnError.io("cannot read \(path)") }
            let commit = try DeltaCommit.parse(String(decoding: data, as: UTF8.self), file: path)
            if let m = commit.metadata {
                state.fields = try m.fields()
                state.schemaString = m.schemaString
                state.tableId = m.id
                state.createdTime = m.createdTime ?? state.createdTime
            }
            for path in commit.removes { state.live[path] = nil }
            for add in commit.adds {
                state.live[add.path] = add
                state.known[add.path] = add
                if state.fileColumns[add.path] == nil { state.fileColumns[add.path] = Self.columnMap(state.fields) }
            }
            state.version = v
        }
        return state
    }

    private func publish(_ info: VersionInfo, uuid: String, into published: inout Published, summary: inout Summary) throws {
        let snapshot: TableSnapshot
        do {
            snapshot = try lake.snapshot(of: table, at: .version(info.version))
        } catch let e as TarnError {
            throw TarnError(e.kind, "cannot publish version \(info.version) of '\(table)' as Delta: \(e.message)")
        }
        let fields = try snapshot.schema.fields.enumerated().map { i, f in
            DeltaField(name: f.name, type: DeltaField.deltaType(f.type), nullable: f.nullable,
                       metadata: [Self.columnIdKey: String(snapshot.columnIds[i])])
        }
        let columns = Self.columnMap(fields)
        let schemaString = DeltaSchema.string(fields)
        let commitMillis = info.timestamp / 1000
        // The Parquet file of each Tarn data file of this version (written the first time it is needed).
        var adds: [DeltaAddFile] = []
        var current: [String: DeltaAddFile] = [:]
        var morselsByFile: [Int: [ScanMorsel]]?
        for (index, file) in snapshot.files.enumerated() {
            let name = Self.parquetName(file)
            if let existing = published.live[name] { current[name] = existing; continue }
            if let known = published.known[name], FileManager.default.fileExists(atPath: root + "/" + name) {
                adds.append(known)
                current[name] = known
                continue
            }
            if morselsByFile == nil { morselsByFile = Dictionary(grouping: try snapshot.allMorsels(), by: \.fileIndex) }
            let add = try writeParquet(snapshot, fileIndex: index, morsels: morselsByFile?[index] ?? [], name: name)
            summary.parquetFilesWritten += 1
            summary.bytesWritten += Int(add.size)
            adds.append(add)
            current[name] = add
        }
        for path in current.keys.sorted() {
            try checkExpressible(fields, file: path, holds: published.fileColumns[path] ?? columns, version: info.version)
        }
        let removed = published.live.keys.filter { current[$0] == nil }.sorted()
        var lines: [String] = []
        lines.append(commitInfo(info))
        if published.version < 0 {
            lines.append("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}")
        }
        if schemaString != published.schemaString {
            let created = published.version < 0 ? commitMillis : nil
            lines.append("{\"metaData\":{\"id\":\(DeltaJSON.quote(uuid)),\"name\":\(DeltaJSON.quote(table.name)),\"format\":{\"provider\":\"parquet\",\"options\":{}},"
                         + "\"schemaString\":\(DeltaJSON.quote(schemaString)),\"partitionColumns\":[],\"configuration\":{}"
                         + (created.map { ",\"createdTime\":\($0)" } ?? "") + "}}")
        }
        for path in removed {
            let size = published.live[path]?.size ?? 0
            lines.append("{\"remove\":{\"path\":\(DeltaJSON.quote(path)),\"deletionTimestamp\":\(commitMillis),\"dataChange\":true,"
                         + "\"extendedFileMetadata\":true,\"partitionValues\":{},\"size\":\(size)}}")
        }
        for add in adds {
            var line = "{\"add\":{\"path\":\(DeltaJSON.quote(add.path)),\"partitionValues\":{},\"size\":\(add.size),"
                + "\"modificationTime\":\(commitMillis),\"dataChange\":true"
            if let stats = add.stats { line += ",\"stats\":\(DeltaJSON.quote(stats))" }
            lines.append(line + "}}")
        }
        try writeCommit(version: info.version, lines: lines, millis: commitMillis)
        if published.version < 0 { published.createdTime = commitMillis }
        for path in removed { published.live[path] = nil }
        for add in adds {
            published.live[add.path] = add
            published.known[add.path] = add
            if published.fileColumns[add.path] == nil { published.fileColumns[add.path] = columns }
        }
        published.version = info.version
        published.fields = fields
        published.schemaString = schemaString
        published.tableId = uuid
        if info.version > 0 && info.version % Self.checkpointInterval == 0 {
            let metadata = DeltaMetadata(id: uuid, schemaString: schemaString, partitionColumns: [], configuration: [:],
                                         createdTime: published.createdTime)
            let files = published.live.values.sorted { $0.path < $1.path }
            try DeltaCheckpointWriter.write(logFolder: root + "/_delta_log", version: info.version,
                                            protocolAction: DeltaProtocol(minReaderVersion: 1, minWriterVersion: 2), metadata: metadata,
                                            files: files, modificationTime: commitMillis)
        }
    }

    /// A Parquet checkpoint after every this many versions (Delta's default), so readers of a long history start
    /// from it instead of replaying every commit.
    public static let checkpointInterval: Int64 = 10

    /// A Delta table without column mapping finds columns in Parquet files by name: a renamed column, a changed
    /// type, or a name reused by a different column would make a live file read wrong, so they are refused.
    private func checkExpressible(_ fields: [DeltaField], file: String, holds: [String: (id: String, type: String)], version: Int64) throws {
        for f in fields {
            guard let id = f.metadata[Self.columnIdKey] else { continue }
            if let held = holds[f.name.lowercased()] {
                if held.id != id {
                    throw TarnError.unsupported("version \(version) of '\(table)' reuses the name '\(f.name)' for a new column while \(file) holds the old one; a Delta table without column mapping cannot tell them apart (publish to a new folder after OPTIMIZE)")
                }
                if held.type != f.type {
                    throw TarnError.unsupported("version \(version) of '\(table)' changes column '\(f.name)' from \(held.type) to \(f.type) while \(file) holds the old type")
                }
            } else if let old = holds.first(where: { $0.value.id == id }) {
                throw TarnError.unsupported("version \(version) of '\(table)' renames column '\(old.key)' to '\(f.name)', which a Delta table without column mapping cannot express for \(file)")
            }
        }
    }

    /// `part-<tarn file uuid>.parquet`: one name per Tarn data file, and per deletion vector of it
    /// (`part-<uuid>-dv<deleted rows>-<digest>.parquet`, written without the deleted rows), so a file that lost rows
    /// in a version is a new Parquet file there.
    static func parquetName(_ file: DataFileInfo) -> String {
        let base = (file.relativePath as NSString).lastPathComponent
        let stem = base.hasSuffix(".tarn") ? String(base.dropLast(5)) : base
        guard let vector = file.deletionVector else { return "part-\(stem).parquet" }
        return "part-\(stem)-dv\(vector.count)-\(String(vector.digest, radix: 16)).parquet"
    }

    private func writeParquet(_ snapshot: TableSnapshot, fileIndex: Int, morsels: [ScanMorsel], name: String) throws -> DeltaAddFile {
        let path = root + "/" + name
        let columns = snapshot.schema.fields.map { (name: $0.name, type: $0.type) }
        let writer = try ParquetWriter(path: path, columns: columns, options: options)
        let summary: ParquetWriteSummary
        do {
            let all = Array(snapshot.schema.fields.indices)
            for morsel in morsels.sorted(by: { $0.rowGroup < $1.rowGroup }) {
                try writer.write(try snapshot.read(morsel, columns: all))
            }
            summary = try writer.close()
        } catch {
            writer.abandon()
            throw error
        }
        return DeltaAddFile(path: name, partitionValues: [:], size: Int64(summary.fileSize), stats: Self.stats(summary),
                            hasDeletionVector: false)
    }

    /// The `stats` JSON of a written file: numRecords, minValues, maxValues, nullCount.
    static func stats(_ summary: ParquetWriteSummary) -> String {
        var mins: [String] = [], maxes: [String] = [], nulls: [String] = []
        for c in summary.columns {
            let key = DeltaJSON.quote(c.name)
            nulls.append("\(key):\(c.nullCount)")
            if let lo = c.min.flatMap(statValue), let hi = c.max.flatMap(statValue) {
                mins.append("\(key):\(lo)")
                maxes.append("\(key):\(hi)")
            }
        }
        return "{\"numRecords\":\(summary.rowCount),\"minValues\":{\(mins.joined(separator: ","))},\"maxValues\":{\(maxes.joined(separator: ","))},\"nullCount\":{\(nulls.joined(separator: ","))}}"
    }

    /// A min/max statistic as Delta writes it; nil leaves it out (booleans, long strings whose truncation would
    /// need care, non-finite doubles).
    static func statValue(_ v: Value) -> String? {
        switch v {
        case let .integer(x): return String(x)
        case let .bigint(x): return String(x)
        case let .double(x): return x.isFinite ? ValueFormatting.format(double: x) : nil
        case let .decimal(x, s): return ValueFormatting.format(decimal: x, scale: s)
        case let .decimal128(x, s): return ValueFormatting.format(decimal: x, scale: s)
        case let .varchar(s): return s.count <= 32 ? DeltaJSON.quote(s) : nil
        case let .date(d): return DeltaJSON.quote(ValueFormatting.format(date: d))
        case let .timestamp(t), let .timestampTZ(t):
            // Delta's form: ISO 8601 in UTC with microseconds.
            let text = ValueFormatting.format(timestamp: t)
            let parts = text.split(separator: " ")
            guard parts.count == 2 else { return nil }
            var time = String(parts[1])
            if !time.contains(".") { time += ".000000" }
            return DeltaJSON.quote("\(parts[0])T\(time)Z")
        case .boolean, .null, .array, .row, .map: return nil
        }
    }

    private func commitInfo(_ info: VersionInfo) -> String {
        "{\"commitInfo\":{\"timestamp\":\(info.timestamp / 1000),\"operation\":\(DeltaJSON.quote(info.operation)),"
            + "\"operationParameters\":{},\"tarnVersion\":\(info.version),\"engineInfo\":\"Tarn\","
            + "\"operationMetrics\":{\"numOutputRows\":\"\(info.rowsAdded)\",\"numRemovedRows\":\"\(info.rowsRemoved)\"}}}"
    }

    /// Writes the commit file under a temporary name, sets its modification time to the Tarn commit's, then links
    /// it into place; an existing commit of that version (a concurrent publisher) is an error, never overwritten.
    private func writeCommit(version: Int64, lines: [String], millis: Int64) throws {
        let final = root + "/_delta_log/" + DeltaLog.commitName(version)
        let temporary = root + "/_delta_log/." + DeltaLog.commitName(version) + ".tmp-" + UUID().uuidString.prefix(8).lowercased()
        let text = lines.joined(separator: "\n") + "\n"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw TarnError.io("cannot write \(temporary)")
        }
        defer { unlink(temporary) }
        let seconds = millis / 1000, micros = (millis % 1000) * 1000
        var times = [timeval(tv_sec: Int(seconds), tv_usec: .init(micros)), timeval(tv_sec: Int(seconds), tv_usec: .init(micros))]
        guard utimes(temporary, &times) == 0 else { throw TarnError.io("cannot set the modification time of \(temporary) (errno \(errno))") }
        guard link(temporary, final) == 0 else {
            if errno == EEXIST { throw TarnError.io("\(final) already exists: another publisher wrote version \(version)") }
            throw TarnError.io("cannot create \(final) (errno \(errno))")
        }
    }
}
