import Foundation
import Storage

/// The `protocol` action: the reader and writer versions (and, from versions 3 and 7, named features) a client needs.
public struct DeltaProtocol: Sendable, Equatable {
    public var minReaderVersion: Int
    public var minWriterVersion: Int
    public var readerFeatures: [String]?
    public var writerFeatures: [String]?

    public init(minReaderVersion: Int, minWriterVersion: Int, readerFeatures: [String]? = nil, writerFeatures: [String]? = nil) {
        self.minReaderVersion = minReaderVersion
        self.minWriterVersion = minWriterVersion
        self.readerFeatures = readerFeatures
        self.writerFeatures = writerFeatures
    }
}

/// The `metaData` action: the table's id, schema, partition columns and configuration.
public struct DeltaMetadata: Sendable {
    public var id: String
    public var schemaString: String
    public var partitionColumns: [String]
    public var configuration: [String: String]
    public var createdTime: Int64?

    public init(id: String, schemaString: String, partitionColumns: [String], configuration: [String: String], createdTime: Int64?) {
        self.id = id
        self.schemaString = schemaString
        self.partitionColumns = partitionColumns
        self.configuration = configuration
        self.createdTime = createdTime
    }

    public func fields() throws -> [DeltaField] { try DeltaSchema.parse(schemaString) }
}

/// An `add` action: a data file of the table at this version.
public struct DeltaAddFile: Sendable {
    /// Relative to the table root (percent-encoded, as the log stores it) or an absolute URI.
    public var path: String
    /// Partition column → value as text; nil is a NULL partition value.
    public var partitionValues: [String: String?]
    public var size: Int64
    /// The statistics JSON (`numRecords`, `minValues`, `maxValues`, `nullCount`), when written.
    public var stats: String?
    /// Whether the file carries a deletion vector (rows to leave out), which delta_scan cannot apply.
    public var hasDeletionVector: Bool
}

/// One parsed commit: its actions in file order, and its time.
struct DeltaCommit {
    var protocolAction: DeltaProtocol?
    var metadata: DeltaMetadata?
    var adds: [DeltaAddFile] = []
    var removes: [String] = []
    /// `commitInfo.timestamp` (milliseconds) when present.
    var commitTimestamp: Int64?
    var operation: String?

    /// Parses a newline-delimited JSON commit file.
    static func parse(_ text: String, file: String) throws -> DeltaCommit {
        var commit = DeltaCommit()
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            if line.allSatisfy({ $0 == " " || $0 == "\r" }) { continue }
            let location = "\(file), line \(n + 1)"
            let object = try DeltaJSON.object(line, where: location)
            if let p = object["protocol"] as? [String: Any] {
                commit.protocolAction = try parseProtocol(p, location)
            } else if let m = object["metaData"] as? [String: Any] {
                commit.metadata = try parseMetadata(m, location)
            } else if let a = object["add"] as? [String: Any] {
                commit.adds.append(try parseAdd(a, location))
            } else if let r = object["remove"] as? [String: Any] {
                guard let path = r["path"] as? String else { throw TarnError.corruption("\(location): a remove action without a path") }
                commit.removes.append(path)
            } else if let c = object["commitInfo"] as? [String: Any] {
                commit.commitTimestamp = DeltaJSON.int(c["timestamp"])
                commit.operation = c["operation"] as? String
            }
        }
        return commit
    }

    static func parseProtocol(_ p: [String: Any], _ location: String) throws -> DeltaProtocol {
        guard let r = DeltaJSON.int(p["minReaderVersion"]), let w = DeltaJSON.int(p["minWriterVersion"]) else {
            throw TarnError.corruption("\(location): a protocol action without minReaderVersion/minWriterVersion")
        }
        return DeltaProtocol(minReaderVersion: Int(r), minWriterVersion: Int(w), readerFeatures: p["readerFeatures"] as? [String],
                             writerFeatures: p["writerFeatures"] as? [String])
    }

    static func parseMetadata(_ m: [String: Any], _ location: String) throws -> DeltaMetadata {
        guard let schema = m["schemaString"] as? String else { throw TarnError.corruption("\(location): a metaData action without schemaString") }
        var configuration: [String: String] = [:]
        for (k, v) in m["configuration"] as? [String: Any] ?? [:] { configuration[k] = v as? String ?? "\(v)" }
        return DeltaMetadata(id: m["id"] as? String ?? "", schemaString: schema, partitionColumns: m["partitionColumns"] as? [String] ?? [],
                             configuration: configuration, createdTime: DeltaJSON.int(m["createdTime"]))
    }

    static func parseAdd(_ a: [String: Any], _ location: String) throws -> DeltaAddFile {
        guard let path = a["path"] as? String else { throw TarnError.corruption("\(location): an add action without a path") }
        var values: [String: String?] = [:]
        for (k, v) in a["partitionValues"] as? [String: Any] ?? [:] { values[k] = v as? String }
        let dv = a["deletionVector"]
        return DeltaAddFile(path: path, partitionValues: values, size: DeltaJSON.int(a["size"]) ?? 0, stats: a["stats"] as? String,
                            hasDeletionVector: dv != nil && !(dv is NSNull))
    }
}
