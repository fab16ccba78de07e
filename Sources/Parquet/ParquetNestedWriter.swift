import Foundation
import Storage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A node of a nested schema for `ParquetNestedWriter`: a group (struct, MAP or LIST) or a leaf of a flat Tarn type.
public indirect enum ParquetNode: Sendable {
    /// How a group is annotated: a plain struct, a MAP (its one child is the repeated `key_value` group) or a LIST.
    public enum Annotation: Sendable { case none, map, list }
    case group(name: String, repetition: Repetition, annotation: Annotation, children: [ParquetNode])
    /// BOOLEAN, INTEGER, BIGINT and VARCHAR leaves (what a Delta checkpoint needs).
    case leaf(name: String, repetition: Repetition, type: DataType)
}

/// One leaf's column as levels and dense values: an entry per level pair, a value for each entry whose
/// definition level is the leaf's maximum (the mirror of `LeveledColumn`).
public struct ParquetLeafValues: Sendable {
    public var definitionLevels: [UInt8]
    public var repetitionLevels: [UInt8]
    public var values: [Value]

    public init(definitionLevels: [UInt8], repetitionLevels: [UInt8], values: [Value]) {
        self.definitionLevels = definitionLevels
        self.repetitionLevels = repetitionLevels
        self.values = values
    }
}

/// Writes a small Parquet file with nested columns (structs, maps, lists) from levels the caller computed: one row
/// group, one uncompressed PLAIN data page per leaf. For metadata files such as a Delta checkpoint, not bulk data
/// (`ParquetWriter` writes flat tables fast).
public enum ParquetNestedWriter {
    /// A leaf in depth-first order with its path and maximum levels.
    struct Leaf {
        var path: [String]
        var repetition: Repetition
        var type: DataType
        var maxDefinition: Int
        var maxRepetition: Int
    }

    static func leaves(_ nodes: [ParquetNode], path: [String] = [], definition: Int = 0, repetition: Int = 0) -> [Leaf] {
        var out: [Leaf] = []
        for node in nodes {
            switch node {
            case let .group(name, rep, _, children):
                out += leaves(children, path: path + [name], definition: definition + (rep == .required ? 0 : 1),
                              repetition: repetition + (rep == .repeated ? 1 : 0))
            case let .leaf(name, rep, type):
                out.append(Leaf(path: path + [name], repetition: rep, type: type, maxDefinition: definition + (rep == .required ? 0 : 1),
                                maxRepetition: repetition + (rep == .repeated ? 1 : 0)))
            }
        }
        return out
    }

    /// Writes `rows` rows of `schema` (the root's children) to `path`; `columns` are the leaves in depth-first order.
    /// The file goes to a temporary name first and is renamed into place.
    public static func write(path: String, schema: [ParquetNode], rows: Int, columns: [ParquetLeafValues]) throws {
        let leaves = leaves(schema)
        guard leaves.count == columns.count else {
            throw TarnError(.internal, "ParquetNestedWriter: \(columns.count) columns for \(leaves.count) leaves")
        }
        var file: [UInt8] = Array("PAR1".utf8)
        var chunks: [(offset: Int, size: Int, entries: Int)] = []
        for (leaf, column) in zip(leaves, columns) {
            let entries = column.definitionLevels.count
            guard column.repetitionLevels.count == entries || leaf.maxRepetition == 0 else {
                throw TarnError(.internal, "ParquetNestedWriter: '\(leaf.path.joined(separator: "."))' has mismatched levels")
            }
            var body: [UInt8] = []
            if leaf.maxRepetition > 0 { appendLevels(column.repetitionLevels, max: leaf.maxRepetition, into: &body) }
            if leaf.maxDefinition > 0 { appendLevels(column.definitionLevels, max: leaf.maxDefinition, into: &body) }
            try appendPlain(column.values, leaf, into: &body)
            var header = ThriftCompactWriter()
            header.beginStruct()
            header.i32(1, PageType.dataPage.rawValue)
            header.i32(2, Int32(clamping: body.count))
            header.i32(3, Int32(clamping: body.count))
            header.structure(5) { w in
                w.i32(1, Int32(clamping: entries))
                w.i32(2, Encoding.plain.rawValue)
                w.i32(3, Encoding.rle.rawValue)
                w.i32(4, Encoding.rle.rawValue)
            }
            header.endStruct()
            chunks.append((file.count, header.bytes.count + body.count, entries))
            file += header.bytes
            file += body
        }
        let footer = footerBytes(schema, leaves, chunks, rows: rows, dataSize: file.count - 4)
        file += footer
        let n = UInt32(footer.count)
        for k in 0..<4 { file.append(UInt8(truncatingIfNeeded: n >> UInt32(8 * k))) }
        file += Array("PAR1".utf8)
        let temporary = path + ".tmp-" + UUID().uuidString.prefix(8).lowercased()
        guard FileManager.default.createFile(atPath: temporary, contents: Data(file)) else { throw TarnError.io("cannot write \(temporary)") }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw TarnError.io("cannot move \(temporary) to \(path) (errno \(errno))")
        }
    }

    private static func appendLevels(_ levels: [UInt8], max: Int, into body: inout [UInt8]) {
        var encoded: [UInt8] = []
        let wide = levels.map { UInt32($0) }
        wide.withUnsafeBufferPointer { RLEBitPackedEncoder.encode($0, bitWidth: RLEBitPackedEncoder.bitWidth(max), into: &encoded) }
        let n = UInt32(encoded.count)
        for k in 0..<4 { body.append(UInt8(truncatingIfNeeded: n >> UInt32(8 * k))) }
        body += encoded
    }

    private static func appendPlain(_ values: [Value], _ leaf: Leaf, into body: inout [UInt8]) throws {
        func bad(_ v: Value) -> TarnError { TarnError(.internal, "ParquetNestedWriter: \(v) in \(leaf.type) column '\(leaf.path.joined(separator: "."))'") }
        switch leaf.type {
        case .boolean:
            var packed = [UInt8](repeating: 0, count: (values.count + 7) / 8)
            for (i, v) in values.enumerated() {
                guard case let .boolean(b) = v else { throw bad(v) }
                if b { packed[i / 8] |= 1 << UInt8(i % 8) }
            }
            body += packed
        case .integer:
            for v in values {
                guard case let .integer(x) = v else { throw bad(v) }
                withUnsafeBytes(of: x.littleEndian) { body += $0 }
            }
        case .bigint:
            for v in values {
                guard case let .bigint(x) = v else { throw bad(v) }
                withUnsafeBytes(of: x.littleEndian) { body += $0 }
            }
        case .varchar:
            for v in values {
                guard case let .varchar(s) = v else { throw bad(v) }
                let bytes = Array(s.utf8)
                withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { body += $0 }
                body += bytes
            }
        default:
            throw TarnError(.internal, "ParquetNestedWriter does not write \(leaf.type) leaves")
        }
    }

    private static func physical(_ type: DataType) -> PhysicalKind {
        switch type {
        case .boolean: return .boolean
        case .integer: return .int32
        case .varchar: return .byteArray
        default: return .int64
        }
    }

    private static func footerBytes(_ schema: [ParquetNode], _ leaves: [Leaf], _ chunks: [(offset: Int, size: Int, entries: Int)],
                                    rows: Int, dataSize: Int) -> [UInt8] {
        var elements: [(inout ThriftCompactWriter) -> Void] = []
        func add(_ nodes: [ParquetNode]) {
            for node in nodes {
                switch node {
                case let .group(name, rep, annotation, children):
                    elements.append { w in
                        w.i32(3, rep.rawValue)
                        w.string(4, name)
                        w.i32(5, Int32(children.count))
                        switch annotation {
                        case .none: break
                        case .map: w.i32(6, ConvertedType.map.rawValue); w.structure(10) { w in w.structure(2) { _ in } }
                        case .list: w.i32(6, ConvertedType.list.rawValue); w.structure(10) { w in w.structure(3) { _ in } }
                        }
                    }
                    add(children)
                case let .leaf(name, rep, type):
                    elements.append { w in
                        w.i32(1, physical(type).rawValue)
                        w.i32(3, rep.rawValue)
                        w.string(4, name)
                        if type == .varchar { w.i32(6, ConvertedType.utf8.rawValue); w.structure(10) { w in w.structure(1) { _ in } } }
                    }
                }
            }
        }
        add(schema)
        var w = ThriftCompactWriter(capacity: 4096)
        w.beginStruct()
        w.i32(1, 1)
        w.fieldHeader(2, .list)
        w.listHeader(elements.count + 1, .structure)
        w.beginStruct()
        w.string(4, "schema")
        w.i32(5, Int32(schema.count))
        w.endStruct()
        for element in elements {
            w.beginStruct()
            element(&w)
            w.endStruct()
        }
        w.i64(3, Int64(rows))
        w.structList(4, [0]) { w, _ in
            w.structList(1, Array(zip(leaves, chunks))) { w, item in
                let (leaf, chunk) = item
                w.i64(2, Int64(chunk.offset))
                w.structure(3) { w in
                    w.i32(1, physical(leaf.type).rawValue)
                    w.i32List(2, [Encoding.plain.rawValue, Encoding.rle.rawValue])
                    w.stringList(3, leaf.path)
                    w.i32(4, CompressionCodec.uncompressed.rawValue)
                    w.i64(5, Int64(chunk.entries))
                    w.i64(6, Int64(chunk.size))
                    w.i64(7, Int64(chunk.size))
                    w.i64(9, Int64(chunk.offset))
                }
            }
            w.i64(2, Int64(dataSize))
            w.i64(3, Int64(rows))
        }
        w.string(6, "Tarn")
        w.endStruct()
        return w.bytes
    }
}
