/// Writes values with the Thrift compact protocol (Parquet footers and page headers) into a byte array:
/// the mirror of `ThriftCompactReader`. Fields are written in increasing id order within a struct; the
/// writer keeps the last field id of each open struct to emit the short (delta) field headers.
public struct ThriftCompactWriter {
    public typealias WireType = ThriftCompactReader.WireType

    public private(set) var bytes: [UInt8] = []
    private var lastIds: [Int16] = [0]

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    // MARK: primitives

    public mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A zigzag-encoded signed integer (i16, i32 and i64 are all written this way).
    public mutating func writeZigzag(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func writeBinary(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func writeString(_ value: String) { writeBinary(Array(value.utf8)) }

    // MARK: structures

    /// The header of field `id` of the current struct.
    public mutating func fieldHeader(_ id: Int16, _ type: WireType) {
        let last = lastIds[lastIds.count - 1]
        let delta = Int(id) - Int(last)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeZigzag(Int64(id))
        }
        lastIds[lastIds.count - 1] = id
    }

    public mutating func i32(_ id: Int16, _ value: Int32) { fieldHeader(id, .i32); writeZigzag(Int64(value)) }
    public mutating func i64(_ id: Int16, _ value: Int64) { fieldHeader(id, .i64); writeZigzag(value) }
    public mutating func binary(_ id: Int16, _ value: [UInt8]) { fieldHeader(id, .binary); writeBinary(value) }
    public mutating func string(_ id: Int16, _ value: String) { fieldHeader(id, .binary); writeString(value) }
    public mutating func bool(_ id: Int16, _ value: Bool) { fieldHeader(id, value ? .boolTrue : .boolFalse) }

    /// A struct-valued field: `body` writes its fields.
    public mutating func structure(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, .structure)
        beginStruct()
        body(&self)
        endStruct()
    }

    /// Opens a struct (a top-level one, or a list element); `endStruct` closes it.
    public mutating func beginStruct() { lastIds.append(0) }

    public mutating func endStruct() {
        bytes.append(0)
        if lastIds.count > 1 { lastIds.removeLast() }
    }

    /// A list header of `count` elements of `type`.
    public mutating func listHeader(_ count: Int, _ type: WireType) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xF0 | type.rawValue)
            writeVarint(UInt64(count))
        }
    }

    /// A list-valued field of structs: `element` writes each one's fields.
    public mutating func structList<T>(_ id: Int16, _ items: [T], _ element: (inout ThriftCompactWriter, T) -> Void) {
        fieldHeader(id, .list)
        listHeader(items.count, .structure)
        for item in items {
            beginStruct()
            element(&self, item)
            endStruct()
        }
    }

    public mutating func i32List(_ id: Int16, _ items: [Int32]) {
        fieldHeader(id, .list)
        listHeader(items.count, .i32)
        for item in items { writeZigzag(Int64(item)) }
    }

    public mutating func stringList(_ id: Int16, _ items: [String]) {
        fieldHeader(id, .list)
        listHeader(items.count, .binary)
        for item in items { writeString(item) }
    }
}
