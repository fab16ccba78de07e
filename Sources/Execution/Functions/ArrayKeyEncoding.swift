import Storage

/// ARRAY, ROW and MAP values as order-preserving VARCHAR keys, so they compare, sort, group, deduplicate and join
/// through the string key machinery. Two arrays' keys compare bytewise as the arrays compare lexicographically, as
/// DuckDB's lists do (element by element; a prefix first, `[1, 2] < [1, 2, 0]`; a NULL element after every value and
/// equal to another NULL, so `[NULL] = [NULL]`). Rows compare field by field in the same way (DuckDB's structs, Trino's
/// rows): a NULL field after every value and equal to another NULL. A map's key lists its entries in the order of
/// their keys' keys, so two maps with the same entries have the same key whatever order they were built in (Trino's
/// map equality); maps then order as those sorted entry lists. A NULL value's key is NULL. Keys decode back to the
/// values exactly (a map with its entries in key order), which is how GROUP BY and DISTINCT return them after
/// grouping on keys.
///
/// The key is ASCII: before each array element or row field a marker (`"` end of the array < `#` a value < `$` a
/// NULL), a value as nibbles `A`…`P` of its order-preserving big-endian bytes (integers with the sign bit flipped,
/// doubles with the IEEE trick), a string's bytes as nibbles ending in `!`, a nested array or map as its own key
/// (ending in `"`), a row as its fields one after another (rows of one type have the same fields, so no end marker),
/// a map as the array of its (key, value) entry rows.
public enum ArrayKeyEncoding {
    static let end = UInt8(ascii: "\""), value = UInt8(ascii: "#"), null = UInt8(ascii: "$"), stringEnd = UInt8(ascii: "!")
    static let nibbleBase = UInt8(ascii: "A")

    /// Whether values of `type` have keys: arrays, rows and maps whose elements, fields, keys and values are scalar
    /// orderable types or such nested types again.
    public static func canKey(_ type: DataType) -> Bool {
        switch type {
        case let .array(element): return keyable(element)
        case let .row(fields): return fields.allSatisfy { keyable($0.type) }
        case let .map(key, value): return keyable(key) && keyable(value)
        default: return false
        }
    }

    /// A scalar orderable type or a nested type with keys.
    private static func keyable(_ type: DataType) -> Bool { type.isOrderable || canKey(type) }

    /// The scalar function `array_key(v)`: the key of each array, row or map (internal; planted by the binder and planner).
    public static let keyFunction = ScalarFunction(name: "array_key") { args, _, _ in
        guard let a = args.first else { throw TarnError(.internal, "array_key takes one argument") }
        return try encode(a)
    }

    /// The scalar function decoding keys back into the arrays, rows or maps of `type`.
    public static func decodeFunction(_ type: DataType) -> ScalarFunction {
        ScalarFunction(name: "array_from_key[\(type)]") { args, _, _ in
            guard let k = args.first else { throw TarnError(.internal, "array_from_key takes one argument") }
            return try decode(k, as: type)
        }
    }

    public static func encode(_ column: Column) throws -> Column {
        guard canKey(column.type) else { throw TarnError(.internal, "array_key got a \(column.type) column") }
        var out = StringArray()
        var scratch: [UInt8] = []
        for row in 0 ..< column.count {
            if column.isNull(row) { out.appendEmpty(); continue }
            scratch.removeAll(keepingCapacity: true)
            try appendValue(column, row, &scratch)
            scratch.withUnsafeBufferPointer { out.append(bytes: $0) }
        }
        return Column(type: .varchar, data: .string(out), validity: column.validity)
    }

    private static func appendList(_ column: Column, _ row: Int, _ out: inout [UInt8]) throws {
        guard case let .list(offsets, child) = column.data else { throw TarnError(.internal, "array_key: not an array") }
        for k in Int(offsets[row]) ..< Int(offsets[row + 1]) {
            if child.isNull(k) { out.append(null); continue }
            out.append(value)
            try appendValue(child, k, &out)
        }
        out.append(end)
    }

    /// A row's fields in order, each a NULL marker or a value marker and the value.
    private static func appendRow(_ column: Column, _ row: Int, _ out: inout [UInt8]) throws {
        guard case let .fields(fields) = column.data else { throw TarnError(.internal, "array_key: not a row") }
        for field in fields {
            if field.isNull(row) { out.append(null); continue }
            out.append(value)
            try appendValue(field, row, &out)
        }
    }

    /// A map's (key, value) entries as an array of rows, sorted by their keys (map keys are never NULL and never
    /// repeat, so the entries' keys order them by key alone). The entries are written in place; only a map whose
    /// entries are out of key order is copied and rewritten sorted.
    private static func appendMap(_ column: Column, _ row: Int, _ out: inout [UInt8]) throws {
        guard case let .list(offsets, entries) = column.data else { throw TarnError(.internal, "array_key: not a map") }
        let first = Int(offsets[row]), count = Int(offsets[row + 1]) - first
        let base = out.count
        try withUnsafeTemporaryAllocation(of: Int.self, capacity: count + 1) { starts in
            for j in 0 ..< count {
                starts[j] = out.count
                out.append(value)
                try appendRow(entries, first + j, &out)
            }
            starts[count] = out.count
            func entry(_ j: Int) -> ArraySlice<UInt8> { out[starts[j] ..< starts[j + 1]] }
            var inOrder = true
            for j in 1 ..< max(count, 1) where !entry(j - 1).lexicographicallyPrecedes(entry(j)) { inOrder = false; break }
            if inOrder { return }
            let written = Array(out[base...])
            var order = Array(0 ..< count)
            order.sort { written[starts[$0] - base ..< starts[$0 + 1] - base].lexicographicallyPrecedes(written[starts[$1] - base ..< starts[$1 + 1] - base]) }
            out.removeSubrange(base...)
            for j in order { out.append(contentsOf: written[starts[j] - base ..< starts[j + 1] - base]) }
        }
        out.append(end)
    }

    @inline(__always) private static func appendBits(_ bits: UInt64, bytes: Int, _ out: inout [UInt8]) {
        var shift = bytes * 8 - 4
        while shift >= 0 { out.append(nibbleBase + UInt8((bits >> UInt64(shift)) & 0xF)); shift -= 4 }
    }

    private static func appendValue(_ column: Column, _ k: Int, _ out: inout [UInt8]) throws {
        switch column.data {
        case let .bool(v): out.append(nibbleBase + (v[k] ? 1 : 0))
        case let .int32(v): appendBits(UInt64(UInt32(bitPattern: v[k]) ^ 0x8000_0000), bytes: 4, &out)
        case let .int64(v): appendBits(UInt64(bitPattern: v[k]) ^ 0x8000_0000_0000_0000, bytes: 8, &out)
        case let .int128(v):
            // High word with its sign bit flipped, then the low word: byte order is numeric order.
            appendBits(UInt64(truncatingIfNeeded: v[k] >> 64) ^ 0x8000_0000_0000_0000, bytes: 8, &out)
            appendBits(UInt64(truncatingIfNeeded: v[k]), bytes: 8, &out)
        case .fields: try appendRow(column, k, &out)
        case let .double(v):
            let d = v[k] == 0 ? 0.0 : v[k]     // -0.0 = 0.0
            let bits = d.bitPattern
            appendBits(bits & 0x8000_0000_0000_0000 != 0 ? ~bits : bits ^ 0x8000_0000_0000_0000, bytes: 8, &out)
        case let .string(s): appendString(s, k, &out)
        case let .dictionary(codes, dictionary): appendString(dictionary, Int(codes[k]), &out)
        case .list:
            if column.type.mapTypes != nil { try appendMap(column, k, &out) } else { try appendList(column, k, &out) }
        }
    }

    private static func appendString(_ s: StringArray, _ i: Int, _ out: inout [UInt8]) {
        s.withBytes(at: i) { bytes in
            for b in bytes { out.append(nibbleBase + (b >> 4)); out.append(nibbleBase + (b & 0xF)) }
        }
        out.append(stringEnd)
    }

    // MARK: decoding

    /// The scalar function decoding arrays of keys (`array_agg(DISTINCT array_key(a))`) into arrays of arrays of
    /// `type` (an ARRAY(ARRAY(…)) type), element by element.
    public static func decodeElementsFunction(_ type: DataType) -> ScalarFunction {
        ScalarFunction(name: "array_elements_from_key[\(type)]") { args, _, _ in
            guard let k = args.first, case let .list(offsets, child) = k.data, let element = type.elementType else {
                throw TarnError(.internal, "array_elements_from_key takes one array of keys")
            }
            return Column(type: type, data: .list(offsets: offsets, child: try decode(child, as: element)), validity: k.validity)
        }
    }

    /// Keys back into the ARRAY, ROW or MAP values of `type` they were made from.
    public static func decode(_ keys: Column, as type: DataType) throws -> Column {
        guard canKey(type) else { throw TarnError(.internal, "array_from_key to \(type)") }
        let sink = Sink(type)
        var text: [UInt8] = []
        for row in 0 ..< keys.count {
            if keys.isNull(row) { sink.appendNull(); continue }
            text.removeAll(keepingCapacity: true)
            switch keys.data {
            case let .string(s): s.withBytes(at: row) { text.append(contentsOf: $0) }
            case let .dictionary(codes, d): d.withBytes(at: Int(codes[row])) { text.append(contentsOf: $0) }
            default: throw TarnError(.internal, "array_from_key got a \(keys.type) column")
            }
            var cursor = 0
            try sink.readValue(text, &cursor)
        }
        return try sink.finish()
    }

    /// Decoded values of one type, by physical type: a list's child values, a row's fields.
    private final class Sink {
        let type: DataType
        var bools: [Bool] = [], ints32: [Int32] = [], ints64: [Int64] = [], ints128: [Int128] = [], doubles: [Double] = []
        var strings = StringArray()
        var validity: [UInt8] = []
        var offsets: [Int32] = [0]
        /// An array's elements or a map's entry rows.
        let child: Sink?
        /// A row's fields.
        let fields: [Sink]
        var count: Int { validity.count }

        init(_ type: DataType) {
            self.type = type
            child = type.listChildType.map(Sink.init)
            fields = type.rowFields?.map { Sink($0.type) } ?? []
        }

        func readList(_ text: [UInt8], _ cursor: inout Int) throws {
            while true {
                guard cursor < text.count else { throw TarnError(.internal, "array key ends early") }
                let marker = text[cursor]
                cursor += 1
                if marker == ArrayKeyEncoding.end { return }
                if marker == ArrayKeyEncoding.null { appendNull(); continue }
                try readValue(text, &cursor)
            }
        }

        private func bits(_ text: [UInt8], _ cursor: inout Int, bytes: Int) throws -> UInt64 {
            guard cursor + bytes * 2 <= text.count else { throw TarnError(.internal, "array key ends early") }
            var v: UInt64 = 0
            for _ in 0 ..< bytes * 2 { v = v << 4 | UInt64(text[cursor] &- ArrayKeyEncoding.nibbleBase); cursor += 1 }
            return v
        }

        func appendNull() {
            validity.append(0)
            switch type.physical {
            case .bool: bools.append(false)
            case .int32: ints32.append(0)
            case .int64: ints64.append(0)
            case .int128: ints128.append(0)
            case .double: doubles.append(0)
            case .string: strings.appendEmpty()
            case .list: offsets.append(Int32(child?.count ?? 0))
            case .fields: for f in fields { f.appendNull() }
            }
        }

        func readValue(_ text: [UInt8], _ cursor: inout Int) throws {
            validity.append(1)
            switch type.physical {
            case .bool:
                guard cursor < text.count else { throw TarnError(.internal, "array key ends early") }
                bools.append(text[cursor] != ArrayKeyEncoding.nibbleBase)
                cursor += 1
            case .int32: ints32.append(Int32(bitPattern: UInt32(try bits(text, &cursor, bytes: 4)) ^ 0x8000_0000))
            case .int64: ints64.append(Int64(bitPattern: try bits(text, &cursor, bytes: 8) ^ 0x8000_0000_0000_0000))
            case .int128:
                let high = Int64(bitPattern: try bits(text, &cursor, bytes: 8) ^ 0x8000_0000_0000_0000)
                let low = try bits(text, &cursor, bytes: 8)
                ints128.append(Int128(high) << 64 | Int128(low))
            case .fields:
                for f in fields {
                    guard cursor < text.count else { throw TarnError(.internal, "array key ends early") }
                    let marker = text[cursor]
                    cursor += 1
                    if marker == ArrayKeyEncoding.null { f.appendNull() } else { try f.readValue(text, &cursor) }
                }
            case .double:
                let b = try bits(text, &cursor, bytes: 8)
                doubles.append(Double(bitPattern: b & 0x8000_0000_0000_0000 != 0 ? b ^ 0x8000_0000_0000_0000 : ~b))
            case .string:
                var bytes: [UInt8] = []
                while cursor < text.count, text[cursor] != ArrayKeyEncoding.stringEnd {
                    guard cursor + 1 < text.count else { throw TarnError(.internal, "array key ends early") }
                    bytes.append((text[cursor] &- ArrayKeyEncoding.nibbleBase) << 4 | (text[cursor + 1] &- ArrayKeyEncoding.nibbleBase))
                    cursor += 2
                }
                cursor += 1
                bytes.withUnsafeBufferPointer { strings.append(bytes: $0) }
            case .list:
                guard let child else { throw TarnError(.internal, "array key: nested array without element type") }
                try child.readList(text, &cursor)
                offsets.append(Int32(child.count))
            }
        }

        func finish() throws -> Column {
            let v: [UInt8]? = validity.contains(0) ? validity : nil
            switch type.physical {
            case .bool: return Column(type: type, data: .bool(bools), validity: v)
            case .int32: return Column(type: type, data: .int32(ints32), validity: v)
            case .int64: return Column(type: type, data: .int64(ints64), validity: v)
            case .int128: return Column(type: type, data: .int128(ints128), validity: v)
            case .fields: return Column(type: type, data: .fields(try fields.map { try $0.finish() }), validity: v)
            case .double: return Column(type: type, data: .double(doubles), validity: v)
            case .string: return Column(type: type, data: .string(strings), validity: v)
            case .list:
                guard let child else { throw TarnError(.internal, "array key: nested array without element type") }
                return Column(type: type, data: .list(offsets: offsets, child: try child.finish()), validity: v)
            }
        }
    }
}
