import Foundation
import Storage

/// Writes generated campaign rows as NDJSON files laid out like the users' landing folder:
/// `out/{YYYY-MM-DD}/{YYYYMMDDTHHMMSSZ}.json`, one JSON object per line (NULLs as `null`).
public struct CampaignLandingWriter: Sendable {
    public let generator: CampaignGenerator

    public init(generator: CampaignGenerator) { self.generator = generator }

    /// Writes `rows` rows split over `files` files under `directory`; returns the paths written.
    @discardableResult
    public func write(rows: Int, files: Int, to directory: String) throws -> [String] {
        let fileCount = max(1, files)
        let days = max(1, generator.options.days)
        var written: [String] = []
        var indexWithinDay: [Int32: Int] = [:]
        for file in 0..<fileCount {
            let day = generator.options.firstDate + Int32(file * days / fileCount)
            let slot = indexWithinDay[day, default: 0]
            indexWithinDay[day] = slot + 1
            let seconds = (3600 + slot * 61) % 86_400
            let dateText = ValueFormatting.format(date: day)
            let stamp = dateText.replacingOccurrences(of: "-", with: "")
                + "T" + Self.two(seconds / 3600) + Self.two(seconds / 60 % 60) + Self.two(seconds % 60) + "Z"
            let folder = (directory as NSString).appendingPathComponent(dateText)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = (folder as NSString).appendingPathComponent(stamp + ".json")
            let first = file * rows / fileCount, last = (file + 1) * rows / fileCount
            try writeFile(path: path, rows: first..<last)
            written.append(path)
        }
        return written
    }

    private func writeFile(path: String, rows: Range<Int>) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw TarnError.io("cannot create \(path)")
        }
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        let names = CampaignGenerator.schema.names
        for start in stride(from: rows.lowerBound, to: rows.upperBound, by: 65_536) {
            let batch = generator.batch(rows: start..<min(rows.upperBound, start + 65_536))
            for row in 0..<batch.count {
                buffer.append(UInt8(ascii: "{"))
                for (c, column) in batch.columns.enumerated() {
                    if c > 0 { buffer.append(UInt8(ascii: ",")) }
                    buffer.append(UInt8(ascii: "\"")); buffer.append(contentsOf: names[c].utf8); buffer.append(contentsOf: "\":".utf8)
                    Self.appendJSON(column.value(at: row), to: &buffer)
                }
                buffer.append(contentsOf: "}\n".utf8)
                if buffer.count > 1 << 20 { try handle.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
            }
        }
        try handle.write(contentsOf: buffer)
    }

    private static func appendJSON(_ value: Value, to buffer: inout [UInt8]) {
        switch value {
        case .null: buffer.append(contentsOf: "null".utf8)
        case let .bigint(v): buffer.append(contentsOf: String(v).utf8)
        case let .integer(v): buffer.append(contentsOf: String(v).utf8)
        case let .double(v): buffer.append(contentsOf: (v.isFinite ? "\(v)" : "null").utf8)
        case let .varchar(s):
            buffer.append(UInt8(ascii: "\""))
            for byte in s.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { buffer.append(UInt8(ascii: "\\")) }
                buffer.append(byte)
            }
            buffer.append(UInt8(ascii: "\""))
        default: buffer.append(contentsOf: "\"\(value.description)\"".utf8)
        }
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
}
