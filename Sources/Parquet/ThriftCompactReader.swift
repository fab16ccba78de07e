import Storage

/// Reads values encoded with the Thrift compact protocol (Parquet footers and page headers) from a byte array.
///
/// Bounded for hostile input: every length is checked against the bytes left, a list never claims more elements
/// than there are bytes, and structures nest at most `maxDepth` deep, so a damaged footer gives a `TarnError`
/// (kind `.corruption`) and never a crash, a huge allocation or a hang.
public struct ThriftCompactReader {
    /// Compact-protocol type ids as they appear in field and list headers.
    public enum WireType: UInt8 {
        case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    /// Deepest struct/list/map nesting accepted (Parquet's own metadata nests about six levels).
    public static let maxDepth = 64

    private let bytes: [UInt8]
    private let end: Int
    /// Offset of the next unread byte in the array given to `init`.
    public private(set) var position: Int
    private var depth = 0

    /// A reader of `bytes[start..<end]` (`end` defaults to the whole array).
    public init(_ bytes: [UInt8], start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.end = min(end ?? bytes.count, bytes.count)
        self.position = max(0, min(start, self.end))
    }

    public var remaining: Int { end - position }

    static func corrupt(_ what: String) -> TarnError { .corruption("invalid Thrift metadata: \(what)") }

    // MARK: primitives

    public mutating func readByte() throws -> UInt8 {
        guard position < end else { throw Self.corrupt("unexpected end of data") }
        let b = bytes[position]
        position += 1
        return b
    }

    /// An unsigned LEB128 varint of at most 10 bytes.
    public mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            if shift == 63 && b > 1 { throw Self.corrupt("varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw Self.corrupt("varint longer than 10 bytes") }
        }
    }

    public mutating func readI64() throws -> Int64 {
        let u = try readVarint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    public mutating func readI32() throws -> Int32 {
        let v = try readI64()
        guard let x = Int32(exactly: v) else { throw Self.corrupt("i32 value \(v) out of range") }
        return x
    }

    public mutating func readI16() throws -> Int16 {
        let v = try readI64()
        guard let x = Int16(exactly: v) else { throw Self.corrupt("i16 value \(v) out of range") }
        return x
    }

    public mutating func readDouble() throws -> Double {
        guard remaining >= 8 else { throw Self.corrupt("unexpected end of data in a double") }
        var bits: UInt64 = 0
        for k in 0..<8 { bits |= UInt64(bytes[position + k]) << (8 * UInt64(k)) }
        position += 8
        return Double(bitPattern: bits)
    }

    public mutating func readBinary() throws -> [UInt8] {
        let n = try readVarint()
        guard n <= UInt64(remaining) else { throw Self.corrupt("binary of \(n) bytes but only \(remaining) left") }
        let out = Array(bytes[position..<position + Int(n)])
        position += Int(n)
        return out
    }

    public mutating func readString() throws -> String {
        String(decoding: try readBinary(), as: UTF8.self)
    }

    /// The value of a boolean struct field (its value is in the field header's type).
    public func boolValue(_ type: WireType) throws -> Bool {
        switch type {
        case .boolTrue: return true
        case .boolFalse: return false
        default: throw Self.corrupt("expected a boolean, found type \(type)")
        }
    }

    // MARK: structures

    /// Reads a struct: calls `field` with each field id and wire type; `field` must consume the value (or call `skip`).
    public mutating func readStruct(_ field: (inout ThriftCompactReader, Int16, WireType) throws -> Void) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw Self.corrupt("structures nested deeper than \(Self.maxDepth)") }
        var lastId: Int16 = 0
        while true {
            let header = try readByte()
            guard let type = WireType(rawValue: header & 0x0F) else { throw Self.corrupt("unknown field type \(header & 0x0F)") }
            if type == .stop { return }
            let delta = Int16(header >> 4)
            let id: Int16
            if delta == 0 { id = try readI16() } else {
                let (sum, overflow) = lastId.addingReportingOverflow(delta)
                guard !overflow else { throw Self.corrupt("field id overflows") }
                id = sum
            }
            lastId = id
            let before = position
            try field(&self, id, type)
            // A field consumed by nobody would make the next header read garbage; skip it instead.
            if position == before && type != .boolTrue && type != .boolFalse { try skip(type) }
        }
    }

    /// Reads a list header: the element count (never more than the bytes left) and the element type.
    public mutating func readListHeader() throws -> (count: Int, type: WireType) {
        let header = try readByte()
        var count = UInt64(header >> 4)
        if count == 15 { count = try readVarint() }
        guard let type = WireType(rawValue: header & 0x0F) else { throw Self.corrupt("unknown list element type \(header & 0x0F)") }
        // Every element takes at least one byte, except booleans (one byte each too) — so this bounds allocation.
        guard count <= UInt64(remaining) else { throw Self.corrupt("list of \(count) elements but only \(remaining) bytes left") }
        return (Int(count), type)
    }

    /// Reads a list, calling `element` once per element.
    public mutating func readList<T>(_ element: (inout ThriftCompactReader, WireType) throws -> T) throws -> [T] {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw Self.corrupt("structures nested deeper than \(Self.maxDepth)") }
        let (count, type) = try readListHeader()
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try element(&self, type)) }
        return out
    }

    /// Skips one value of `type`, however nested (within `maxDepth`).
    public mutating func skip(_ type: WireType) throws {
        switch type {
        case .stop: throw Self.corrupt("unexpected stop")
        case .boolTrue, .boolFalse: return
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double:
            guard remaining >= 8 else { throw Self.corrupt("unexpected end of data in a double") }
            position += 8
        case .binary:
            let n = try readVarint()
            guard n <= UInt64(remaining) else { throw Self.corrupt("binary of \(n) bytes but only \(remaining) left") }
            position += Int(n)
        case .list, .set:
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw Self.corrupt("structures nested deeper than \(Self.maxDepth)") }
            let (count, elementType) = try readListHeader()
            for _ in 0..<count {
                // Booleans inside lists take one byte each.
                if elementType == .boolTrue || elementType == .boolFalse { _ = try readByte() } else { try skip(elementType) }
            }
        case .map:
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw Self.corrupt("structures nested deeper than \(Self.maxDepth)") }
            let count = try readVarint()
            guard count <= UInt64(remaining) else { throw Self.corrupt("map of \(count) entries but only \(remaining) bytes left") }
            if count == 0 { return }
            let kinds = try readByte()
            guard let k = WireType(rawValue: kinds >> 4), let v = WireType(rawValue: kinds & 0x0F) else { throw Self.corrupt("unknown map types") }
            for _ in 0..<count {
                if k == .boolTrue || k == .boolFalse { _ = try readByte() } else { try skip(k) }
                if v == .boolTrue || v == .boolFalse { _ = try readByte() } else { try skip(v) }
            }
        case .structure:
            try readStruct { r, _, t in try r.skip(t) }
        }
    }

    // MARK: typed helpers for struct fields

    /// Reads an integer field of any integer wire type as Int64.
    public mutating func readInteger(_ type: WireType) throws -> Int64 {
        switch type {
        case .byte: return Int64(Int8(bitPattern: try readByte()))
        case .i16, .i32, .i64: return try readI64()
        default: throw Self.corrupt("expected an integer, found type \(type)")
        }
    }

    public mutating func readInt32(_ type: WireType) throws -> Int32 {
        let v = try readInteger(type)
        guard let x = Int32(exactly: v) else { throw Self.corrupt("value \(v) out of the i32 range") }
        return x
    }

    /// Throws unless every field id in `required` was `seen` in a struct named `name`.
    static func require(_ required: [Int16], _ seen: Set<Int16>, _ name: String) throws {
        for id in required where !seen.contains(id) { throw corrupt("\(name) lacks its required field \(id)") }
    }

    mutating func expect(_ type: WireType, _ wanted: WireType) throws {
        guard type == wanted else { throw Self.corrupt("expected \(wanted), found \(type)") }
    }
}
