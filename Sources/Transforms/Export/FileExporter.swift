import Foundation
import Storage

/// Writes a result to a CSV, JSON or NDJSON file atomically: rows go to a temporary file next to the target,
/// which is fsynced and renamed over the target only when every row is written (`finish`). On failure or
/// `abandon` the temporary file is deleted and the target is untouched.
public final class FileExporter {
    public let path: String
    public let columns: [Field]
    public let options: ExportOptions
    public private(set) var rowsWritten = 0
    private let temporaryPath: String
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private let names: [[UInt8]]

    public init(path: String, columns: [Field], options: ExportOptions) throws {
        self.path = path
        self.columns = columns
        self.options = options
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TarnError.io("COPY TO: the folder \(folder) does not exist")
        }
        temporaryPath = folder + "/." + url.lastPathComponent + ".tmp-" + UUID().uuidString.prefix(8).lowercased()
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil), let h = FileHandle(forWritingAtPath: temporaryPath) else {
            throw TarnError.io("COPY TO: cannot create \(temporaryPath)")
        }
        handle = h
        names = columns.map { Array($0.name.utf8) }
        buffer.reserveCapacity(1 << 20)
        switch options.format {
        case .csv:
            if options.header {
                for (i, name) in names.enumerated() {
                    if i > 0 { buffer.append(options.delimiter) }
                    appendCSVText(name)
                }
                buffer.append(0x0A)
            }
        case .json: buffer.append(UInt8(ascii: "["))
        case .ndjson: break
        }
    }

    deinit { abandon() }

    public func write(_ batch: Batch) throws {
        if options.format == .csv { return try writeCSV(batch) }
        for row in 0..<batch.count {
            switch options.format {
            case .csv: appendCSVRow(batch, row)
            case .json:
                if rowsWritten > 0 { buffer.append(UInt8(ascii: ",")) }
                buffer.append(0x0A)
                appendJSONObject(batch, row)
            case .ndjson:
                appendJSONObject(batch, row)
                buffer.append(0x0A)
            }
            rowsWritten += 1
            if buffer.count >= 1 << 20 { try flush() }
        }
    }

    /// Completes the file and moves it into place; returns the rows written.
    @discardableResult
    public func finish() throws -> Int {
        if options.format == .json { buffer.append(contentsOf: rowsWritten > 0 ? [0x0A, UInt8(ascii: "]"), 0x0A] : [UInt8(ascii: "]"), 0x0A]) }
        do {
            try flush()
            try handle?.synchronize()
            try handle?.close()
            handle = nil
        } catch {
            abandon()
            throw TarnError.io("COPY TO: writing \(path) failed: \(error)")
        }
        if rename(temporaryPath, path) != 0 {
            let code = errno
            abandon()
            throw TarnError.io("COPY TO: cannot move the export into place at \(path) (errno \(code))")
        }
        return rowsWritten
    }

    /// Deletes the temporary file; the target stays as it was.
    public func abandon() {
        try? handle?.close()
        handle = nil
        if FileManager.default.fileExists(atPath: temporaryPath) { try? FileManager.default.removeItem(atPath: temporaryPath) }
    }

    private func flush() throws {
        guard !buffer.isEmpty, let handle else { return }
        do { try handle.write(contentsOf: buffer) } catch { throw TarnError.io("COPY TO: writing \(temporaryPath) failed: \(error)") }
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: CSV

    /// How one column's cells are written: integers and strings straight from their arrays (no `Value` per
    /// cell), the other types through `Value`'s text.
    private enum CSVCells {
        case int64([Int64])
        case int32([Int32])
        case strings(StringArray)
        case dictionary([Int32], StringArray)
        case values(Column)

        init(_ column: Column) {
            switch (column.type, column.data) {
            case let (.bigint, .int64(v)): self = .int64(v)
            case let (.integer, .int32(v)): self = .int32(v)
            case let (.varchar, .string(s)): self = .strings(s)
            case let (.varchar, .dictionary(codes, dictionary)): self = .dictionary(codes, dictionary)
            default: self = .values(column)
            }
        }
    }

    private func writeCSV(_ batch: Batch) throws {
        let cells = batch.columns.map(CSVCells.init)
        let validity = batch.columns.map(\.validity)
        for row in 0..<batch.count {
            for c in cells.indices {
                if c > 0 { buffer.append(options.delimiter) }
                if let v = validity[c], v[row] == 0 { continue }
                switch cells[c] {
                case let .int64(v): appendDecimal(v[row])
                case let .int32(v): appendDecimal(Int64(v[row]))
                case let .strings(s): s.withBytes(at: row) { appendCSVText($0) }
                case let .dictionary(codes, dictionary): dictionary.withBytes(at: Int(codes[row])) { appendCSVText($0) }
                case let .values(column): appendCSVValue(column.value(at: row))
                }
            }
            buffer.append(0x0A)
            rowsWritten += 1
            if buffer.count >= 1 << 20 { try flush() }
        }
    }

    /// Appends `v` in decimal (the text `String(v)` gives).
    private func appendDecimal(_ v: Int64) {
        var magnitude = v.magnitude
        if v < 0 { buffer.append(UInt8(ascii: "-")) }
        if magnitude < 10 { buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)); return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = 20
            while magnitude > 0 {
                n -= 1
                digits[n] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[n..<20]))
        }
    }

    private func appendCSVRow(_ batch: Batch, _ row: Int) {
        for (c, column) in batch.columns.enumerated() {
            if c > 0 { buffer.append(options.delimiter) }
            appendCSVValue(column.value(at: row))
        }
        buffer.append(0x0A)
    }

    /// One CSV cell from a value: nothing for NULL, text quoted when it must be, other values as their text.
    private func appendCSVValue(_ value: Value) {
        switch value {
        case .null: break
        case var .varchar(s): s.withUTF8 { appendCSVText($0) }
        case .array, .row, .map: appendCSVText(Array(value.description.utf8))  // `[a, b]`, `{a=1, b=2}` hold delimiters: quoted like text
        default: buffer.append(contentsOf: value.description.utf8)
        }
    }

    private func appendCSVText<C: Collection>(_ text: C) where C.Element == UInt8 {
        let needsQuotes = text.isEmpty || text.contains { $0 == options.delimiter || $0 == options.quote || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { buffer.append(contentsOf: text); return }
        buffer.append(options.quote)
        for b in text {
            if b == options.quote { buffer.append(b) }
            buffer.append(b)
        }
        buffer.append(options.quote)
    }

    // MARK: JSON

    private func appendJSONObject(_ batch: Batch, _ row: Int) {
        buffer.append(UInt8(ascii: "{"))
        for (c, column) in batch.columns.enumerated() {
            if c > 0 { buffer.append(UInt8(ascii: ",")) }
            appendJSONString(names[c])
            buffer.append(UInt8(ascii: ":"))
            switch column.value(at: row) {
            case .null: buffer.append(contentsOf: "null".utf8)
            case let .boolean(b): buffer.append(contentsOf: (b ? "true" : "false").utf8)
            case let .integer(v): buffer.append(contentsOf: String(v).utf8)
            case let .bigint(v): buffer.append(contentsOf: String(v).utf8)
            case let .double(v): buffer.append(contentsOf: (v.isFinite ? "\(v)" : "null").utf8)
            case let .decimal(v, s): buffer.append(contentsOf: ValueFormatting.format(decimal: v, scale: s).utf8)
            case let .decimal128(v, s): buffer.append(contentsOf: ValueFormatting.format(decimal: v, scale: s).utf8)
            case var .varchar(s): s.withUTF8 { appendJSONString($0) }
            case let .date(d): appendJSONString(Array(ValueFormatting.format(date: d).utf8))
            case let .timestamp(t): appendJSONString(Array(ValueFormatting.format(timestamp: t).replacingOccurrences(of: " ", with: "T").utf8))
            case let .timestampTZ(t): appendJSONString(Array((ValueFormatting.format(timestamp: t).replacingOccurrences(of: " ", with: "T") + "Z").utf8))
            case let .array(elements, element): buffer.append(contentsOf: JSONText.literal(.array(elements, element: element)).utf8)
            case .row, .map: buffer.append(contentsOf: JSONText.literal(column.value(at: row)).utf8)
            }
        }
        buffer.append(UInt8(ascii: "}"))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private func appendJSONString<C: Collection>(_ text: C) where C.Element == UInt8 {
        buffer.append(UInt8(ascii: "\""))
        for b in text {
            switch b {
            case UInt8(ascii: "\""): buffer.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                buffer.append(contentsOf: Array("\\u00".utf8))
                buffer.append(Self.hexDigits[Int(b >> 4)])
                buffer.append(Self.hexDigits[Int(b & 15)])
            default: buffer.append(b)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
