import Foundation
import Storage

/// A Delta table at one version: its protocol, metadata and live data files.
public struct DeltaSnapshot: Sendable {
    public let root: String
    public let version: Int64
    public let protocolAction: DeltaProtocol
    public let metadata: DeltaMetadata
    /// The live data files, in the order they were added.
    public let files: [DeltaAddFile]

    /// Reader features delta_scan handles (they change nothing about reading plain Parquet files).
    static let supportedReaderFeatures: Set<String> = ["timestampNtz", "vacuumProtocolCheck", "v2Checkpoint"]

    /// Fails, naming the feature, when the table needs something delta_scan cannot do.
    func checkReadable() throws {
        let table = "the Delta table \(root) (version \(version))"
        if let mode = metadata.configuration["delta.columnMapping.mode"], mode != "none" {
            throw TarnError.unsupported("\(table) uses column mapping (mode '\(mode)'), which delta_scan does not support")
        }
        if protocolAction.minReaderVersion > 3 {
            throw TarnError.unsupported("\(table) needs Delta reader version \(protocolAction.minReaderVersion); delta_scan reads versions 1 to 3")
        }
        for feature in protocolAction.readerFeatures ?? [] where !Self.supportedReaderFeatures.contains(feature) {
            let name = feature == "deletionVectors" ? "deletion vectors" : feature == "columnMapping" ? "column mapping" : "the reader feature '\(feature)'"
            throw TarnError.unsupported("\(table) uses \(name), which delta_scan does not support")
        }
        if let file = files.first(where: \.hasDeletionVector) {
            throw TarnError.unsupported("\(table): the data file \(file.path) has deletion vectors, which delta_scan does not support")
        }
    }

    /// The absolute path of a data file (log paths are relative to the root and percent-encoded).
    public func absolutePath(_ file: DeltaAddFile) throws -> String {
        let decoded = file.path.removingPercentEncoding ?? file.path
        if decoded.hasPrefix("file://") { return String(decoded.dropFirst("file://".count)) }
        if decoded.hasPrefix("/") { return decoded }
        if decoded.contains("://") { throw TarnError.unsupported("\(root): the data file \(file.path) is not on the local file system") }
        return root + "/" + decoded
    }

    /// A partition value's text as a value of `type` (Delta writes them as strings; NULL stays NULL).
    public static func partitionValue(_ text: String?, _ type: DataType) throws -> Value {
        guard let text else { return .null }
        func bad() -> TarnError { TarnError.corruption("the Delta partition value '\(text)' is not a \(type)") }
        switch type {
        case .varchar: return .varchar(text)
        case .bigint: guard let v = Int64(text) else { throw bad() }; return .bigint(v)
        case .integer: guard let v = Int32(text) else { throw bad() }; return .integer(v)
        case .double: guard let v = Double(text) else { throw bad() }; return .double(v)
        case .boolean:
            switch text.lowercased() {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: throw bad()
            }
        case .date: guard let v = ValueFormatting.parseDate(Substring(text)) else { throw bad() }; return .date(v)
        case .timestamp: guard let v = ValueFormatting.parseTimestamp(Substring(text)) else { throw bad() }; return .timestamp(v)
        case .timestampTZ: guard let v = ValueFormatting.parseTimestamp(Substring(text)) else { throw bad() }; return .timestampTZ(v)
        case let .decimal(_, scale):
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, let whole = Int64(parts[0].isEmpty || parts[0] == "-" ? parts[0] + "0" : parts[0]) else { throw bad() }
            var fraction = parts.count == 2 ? String(parts[1]) : ""
            guard fraction.count <= scale, fraction.allSatisfy(\.isNumber) else { throw bad() }
            fraction += String(repeating: "0", count: scale - fraction.count)
            var power: Int64 = 1
            for _ in 0..<scale { power *= 10 }
            let negative = text.hasPrefix("-")
            let f = Int64(fraction) ?? 0
            return .decimal(whole * power + (negative ? -f : f), scale: scale)
        case .null: return .null
        case .array, .row, .map: throw TarnError.corruption("the Delta partition column has type \(type), which cannot partition a table")
        }
    }
}
