import Foundation

/// One thing `Lake.check()` found wrong with a lake.
public struct LakeProblem: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: String, Sendable {
        /// The catalog's SQLite integrity check failed.
        case catalog
        /// A data file referenced by a table version does not exist.
        case missing
        /// A referenced data file exists but does not validate (checksum, format, size or row count).
        case damaged
        /// A file under `data/` that no table version references.
        case orphan
    }

    public let kind: Kind
    /// The file's path relative to the lake folder (empty for `.catalog`).
    public let path: String
    public let detail: String

    public var description: String { path.isEmpty ? "\(kind.rawValue): \(detail)" : "\(kind.rawValue): \(path): \(detail)" }
}

/// The result of `Lake.check()`: what was verified and every problem found.
public struct LakeCheckReport: Sendable {
    /// Distinct data files referenced by the catalog (by any version still recorded).
    public var filesChecked = 0
    /// Bytes of those files read and verified.
    public var bytesChecked = 0
    public var problems: [LakeProblem] = []
    /// Whether nothing is wrong.
    public var isClean: Bool { problems.isEmpty }
    /// The orphans' paths relative to the lake folder.
    public var orphans: [String] { problems.filter { $0.kind == .orphan }.map(\.path) }
}

extension Lake {
    /// Verifies the lake: the catalog's SQLite integrity check; every data file any recorded version references
    /// exists, has the catalog's size and row count, and passes its footer and chunk checksums (every chunk is
    /// read); and lists orphans, files under `data/` no version references. A writer that is still running has
    /// files that are orphans until it commits, so run it on a lake nobody is writing.
    public func check() throws -> LakeCheckReport {
        var report = LakeCheckReport()
        let integrity = try catalog.query("PRAGMA integrity_check").compactMap { $0[0].string }
        if integrity != ["ok"] {
            report.problems.append(LakeProblem(kind: .catalog, path: "", detail: integrity.prefix(5).joined(separator: "; ")))
        }
        // A file's stored rows: an entry's live rows plus those its deletion vector removes.
        // A table needing a reader feature this build does not know may store files it cannot judge.
        let hasVectors = try catalog.readTransaction { tx in
            try requireKnownReaderFeatures(tx)
            return try hasDeletionVectorTable(tx)
        }
        let rows = try catalog.query(hasVectors
            ? """
              SELECT f.path, max(f.row_count + coalesce(d.deleted_rows, 0)), max(f.byte_size) FROM data_files f
              LEFT JOIN deletion_vectors d ON d.file_id = f.file_id GROUP BY f.path ORDER BY f.path
              """
            : "SELECT path, max(row_count), max(byte_size) FROM data_files GROUP BY path ORDER BY path")
        var referenced = Set<String>()
        for row in rows {
            guard let relative = row[0].string else { continue }
            referenced.insert(relative)
            report.filesChecked += 1
            let full = path + "/" + relative
            guard FileManager.default.fileExists(atPath: full) else {
                report.problems.append(LakeProblem(kind: .missing, path: relative, detail: "referenced by the catalog but not on disk"))
                continue
            }
            if let problem = Self.verify(file: full, relative: relative, rows: row[1].int64, bytes: row[2].int64) {
                report.problems.append(problem)
            } else {
                report.bytesChecked += Int(row[2].int64 ?? 0)
            }
        }
        for relative in filesUnderData() where !referenced.contains(relative) {
            report.problems.append(LakeProblem(kind: .orphan, path: relative, detail: "no table version references it"))
        }
        return report
    }

    /// Moves the given files (paths relative to the lake, as in `LakeCheckReport.orphans`) to
    /// `quarantine/<same path>`; returns the new relative paths. Refuses paths outside `data/`.
    public func quarantine(_ relativePaths: [String]) throws -> [String] {
        try requireWritable()
        let fm = FileManager.default
        var moved: [String] = []
        for relative in relativePaths {
            let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.first == "data", parts.count >= 2, !parts.contains(".."), !parts.contains("") else {
                throw TarnError.semantic("refusing to quarantine '\(relative)': not a file under data/")
            }
            let target = "quarantine/" + relative
            let targetFull = path + "/" + target
            do {
                try fm.createDirectory(atPath: (targetFull as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if fm.fileExists(atPath: targetFull) { try fm.removeItem(atPath: targetFull) }
                try fm.moveItem(atPath: path + "/" + relative, toPath: targetFull)
            } catch {
                throw TarnError.io("cannot move \(relative) to \(target): \(error.localizedDescription)")
            }
            moved.append(target)
        }
        // Folders left empty (a dropped table's) go too; failures are harmless.
        for folder in Set(relativePaths.map { ($0 as NSString).deletingLastPathComponent }) where folder != "data" {
            let full = path + "/" + folder
            if (try? fm.contentsOfDirectory(atPath: full))?.isEmpty == true { try? fm.removeItem(atPath: full) }
        }
        return moved
    }

    /// Every regular file under `data/` (one or two levels down), relative to the lake folder.
    private func filesUnderData() -> [String] {
        var out: [String] = []
        for file in Lake.listFiles(dataPath) { out.append("data/" + file.name) }
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: dataPath)) ?? []).sorted()
        for folder in folders {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dataPath + "/" + folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            for file in Lake.listFiles(dataPath + "/" + folder) { out.append("data/\(folder)/\(file.name)") }
        }
        return out
    }

    /// Opens the file (footer checksum), reads every chunk (chunk checksums), and compares size and row count
    /// with the catalog's record; nil when it all holds.
    static func verify(file: String, relative: String, rows: Int64?, bytes: Int64?) -> LakeProblem? {
        do {
            let reader = try DataFileReader(path: file)
            if let bytes, Int64(reader.byteSize) != bytes {
                return LakeProblem(kind: .damaged, path: relative, detail: "size \(reader.byteSize) bytes, the catalog says \(bytes)")
            }
            if let rows, Int64(reader.rowCount) != rows {
                return LakeProblem(kind: .damaged, path: relative, detail: "\(reader.rowCount) rows, the catalog says \(rows)")
            }
            for group in reader.rowGroups.indices {
                for column in reader.schema.fields.indices {
                    let decoded = try reader.readColumn(rowGroup: group, column: column)
                    guard decoded.count == reader.rowGroups[group].rowCount else {
                        return LakeProblem(kind: .damaged, path: relative,
                                           detail: "row group \(group) column \(column) decodes to \(decoded.count) values, expected \(reader.rowGroups[group].rowCount)")
                    }
                }
            }
            return nil
        } catch {
            let message = (error as? TarnError)?.message ?? String(describing: error)
            return LakeProblem(kind: .damaged, path: relative, detail: message.replacingOccurrences(of: file + ": ", with: ""))
        }
    }
}
