import Foundation
import Storage

/// The `_delta_log/` folder of a Delta table: which commits and checkpoints exist, and the table's state at a
/// version (newest checkpoint at or before it, then the JSON commits after it).
public struct DeltaLog: Sendable {
    /// The table's root folder.
    public let root: String
    public var logFolder: String { root + "/_delta_log" }
    /// Versions with a JSON commit file, ascending.
    public let commitVersions: [Int64]
    /// Checkpoint version → its part files (one, or the parts of a multi-part checkpoint), complete ones only.
    let checkpoints: [Int64: [String]]

    public init(root: String) throws {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
        let log = root + "/_delta_log"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: log, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TarnError.io("\(root) is not a Delta table (it has no _delta_log folder)")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: log)) ?? []
        var commits: [Int64] = []
        var parts: [Int64: [(part: Int, of: Int, name: String)]] = [:]
        for name in names {
            let pieces = name.split(separator: ".")
            guard let first = pieces.first, first.count == 20, let version = Int64(first) else { continue }
            if pieces.count == 2 && pieces[1] == "json" {
                commits.append(version)
            } else if pieces.count == 3 && pieces[1] == "checkpoint" && pieces[2] == "parquet" {
                parts[version, default: []].append((1, 1, name))
            } else if pieces.count == 5 && pieces[1] == "checkpoint" && pieces[4] == "parquet",
                      let part = Int(pieces[2]), let of = Int(pieces[3]) {
                parts[version, default: []].append((part, of, name))
            }
        }
        commitVersions = commits.sorted()
        var complete: [Int64: [String]] = [:]
        for (version, found) in parts {
            if found.contains(where: { $0.of == 1 }) {
                complete[version] = [log + "/" + (found.first { $0.of == 1 }?.name ?? "")]
                continue
            }
            // A multi-part checkpoint counts only when every part of one numbering is there.
            let total = found.map(\.of).max() ?? 0
            let ofTotal = found.filter { $0.of == total }.sorted { $0.part < $1.part }
            if total > 0, ofTotal.map(\.part) == Array(1...total) { complete[version] = ofTotal.map { log + "/" + $0.name } }
        }
        checkpoints = complete
    }

    /// The newest version: the highest commit, or a checkpoint's if its commit file is gone.
    public var latestVersion: Int64? { [commitVersions.last, checkpoints.keys.max()].compactMap { $0 }.max() }

    static func commitName(_ version: Int64) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".json"
    }

    /// Path of version `version`'s commit file.
    public func commitPath(_ version: Int64) -> String { logFolder + "/" + Self.commitName(version) }

    /// When version `version` was committed, in microseconds since the epoch: its commit file's modification time,
    /// which is what delta-rs and Spark resolve `TIMESTAMP AS OF` by.
    public func commitTime(_ version: Int64) throws -> Int64 {
        let path = commitPath(version)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let date = attributes[.modificationDate] as? Date else {
            throw TarnError.io("\(path): cannot read the commit file's modification time")
        }
        // Millisecond precision, as the object stores and delta-rs see it.
        return Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) * 1000
    }

    /// The newest version committed at or before `micros` (microseconds since the epoch).
    public func version(atTimestamp micros: Int64) throws -> Int64 {
        var found: Int64?
        for v in commitVersions {
            if try commitTime(v) <= micros { found = v } else { break }
        }
        guard let found else {
            let first = try commitVersions.first.map { ValueFormatting.format(timestamp: try commitTime($0)) } ?? "none"
            throw TarnError.semantic("the Delta table \(root) has no version at or before \(ValueFormatting.format(timestamp: micros)) (its first commit is at \(first))")
        }
        return found
    }

    /// The table at `version` (the latest when nil).
    public func snapshot(version requested: Int64? = nil) throws -> DeltaSnapshot {
        guard let latest = latestVersion else { throw TarnError.io("\(root): the Delta log has no commits") }
        let version = requested ?? latest
        guard version >= 0, version <= latest else {
            throw TarnError.semantic("the Delta table \(root) has no version \(version) (versions 0 to \(latest))")
        }
        var files: [String: DeltaAddFile] = [:]
        var order: [String] = []
        var protocolAction: DeltaProtocol?
        var metadata: DeltaMetadata?
        var start: Int64 = 0
        if let checkpoint = checkpoints.keys.filter({ $0 <= version }).max(), let parts = checkpoints[checkpoint] {
            let state = try DeltaCheckpoint.read(parts: parts)
            protocolAction = state.protocolAction
            metadata = state.metadata
            for add in state.adds where files.updateValue(add, forKey: add.path) == nil { order.append(add.path) }
            start = checkpoint + 1
        }
        if start <= version {
            let have = Set(commitVersions)
            for v in start...version {
                guard have.contains(v) else {
                    throw TarnError.io("the Delta table \(root) cannot be read at version \(version): the commit file \(Self.commitName(v)) is missing and no checkpoint covers it")
                }
                let path = commitPath(v)
                guard let data = FileManager.default.contents(atPath: path) else { throw TarnError.io("cannot read \(path)") }
                let commit = try DeltaCommit.parse(String(decoding: data, as: UTF8.self), file: path)
                if let p = commit.protocolAction { protocolAction = p }
                if let m = commit.metadata { metadata = m }
                for path in commit.removes { files[path] = nil }
                for add in commit.adds where files.updateValue(add, forKey: add.path) == nil { order.append(add.path) }
            }
        }
        guard let protocolAction else { throw TarnError.corruption("the Delta table \(root) has no protocol action at version \(version)") }
        guard let metadata else { throw TarnError.corruption("the Delta table \(root) has no metaData action at version \(version)") }
        let live = order.compactMap { files[$0] }
        // `order` may name a path twice (removed, then added again): keep its last position only.
        var seen = Set<String>()
        let unique = live.reversed().filter { seen.insert($0.path).inserted }.reversed()
        let snapshot = DeltaSnapshot(root: root, version: version, protocolAction: protocolAction, metadata: metadata, files: Array(unique))
        try snapshot.checkReadable()
        return snapshot
    }
}
