/// The typed values of a column, in contiguous buffers.
public enum ColumnData: Sendable {
    case bool([Bool])
    case int32([Int32])
    case int64([Int64])
    /// Unscaled values of DECIMAL(19…38).
    case int128([Int128])
    case double([Double])
    case string(StringArray)
    /// Dictionary-encoded strings: `codes[i]` indexes `dictionary`. Kept through scans, filters and GROUP BY keys.
    case dictionary(codes: [Int32], dictionary: StringArray)
    /// Arrays (`DataType.array`): row `i` holds `child` rows `offsets[i] ..< offsets[i + 1]`; `offsets` has count + 1
    /// entries starting at 0. A NULL row has an empty range.
    indirect case list(offsets: [Int32], child: Column)
    /// Rows (`DataType.row`): one column per field, each with the row count; a NULL row's field slots hold any value.
    indirect case fields([Column])
}

/// A vector of values of one SQL type with an optional validity mask.
///
/// `validity == nil` means no NULLs; otherwise `validity[i] == 0` marks row `i` NULL.
/// The value slot of a NULL row holds an unspecified (but initialised) value.
public struct Column: Sendable {
    public var type: DataType
    public var data: ColumnData
    public var validity: [UInt8]?

    public init(type: DataType, data: ColumnData, validity: [UInt8]? = nil) {
        self.type = type
        self.data = data
        self.validity = validity
    }

    public var count: Int {
        switch data {
        case let .bool(v): return v.count
        case let .int32(v): return v.count
        case let .int64(v): return v.count
        case let .int128(v): return v.count
        case let .double(v): return v.count
        case let .string(s): return s.count
        case let .dictionary(codes, _): return codes.count
        case let .list(offsets, _): return offsets.count - 1
        case let .fields(columns): return columns.first?.count ?? 0
        }
    }

    @inlinable public func isNull(_ i: Int) -> Bool {
        guard let v = validity else { return false }
        return v[i] == 0
    }

    public var nullCount: Int {
        guard let v = validity else { return 0 }
        var n = 0
        for b in v where b == 0 { n += 1 }
        return n
    }

    /// The value at row `i`, as a `Value` of this column's type. Not for inner loops.
    public func value(at i: Int) -> Value {
        if isNull(i) { return .null }
        switch (type, data) {
        case let (.boolean, .bool(v)): return .boolean(v[i])
        case let (.integer, .int32(v)): return .integer(v[i])
        case let (.date, .int32(v)): return .date(v[i])
        case let (.bigint, .int64(v)): return .bigint(v[i])
        case let (.timestamp, .int64(v)): return .timestamp(v[i])
        case let (.timestampTZ, .int64(v)): return .timestampTZ(v[i])
        case let (.decimal(_, s), .int64(v)): return .decimal(v[i], scale: s)
        case let (.decimal(_, s), .int128(v)): return .decimal128(v[i], scale: s)
        case let (.double, .double(v)): return .double(v[i])
        case let (.varchar, .string(s)): return .varchar(s.string(at: i))
        case let (.varchar, .dictionary(codes, dict)): return .varchar(dict.string(at: Int(codes[i])))
        case (.null, _): return .null
        case let (.array(element), .list(offsets, child)):
            return .array((Int(offsets[i])..<Int(offsets[i + 1])).map { child.value(at: $0) }, element: element)
        case let (.map(k, v), .list(offsets, child)):
            guard case let .fields(entry) = child.data, entry.count == 2 else { return .null }
            let range = Int(offsets[i])..<Int(offsets[i + 1])
            return .map(keys: range.map { entry[0].value(at: $0) }, values: range.map { entry[1].value(at: $0) }, key: k, value: v)
        case let (.row(fields), .fields(columns)):
            return .row(columns.map { $0.value(at: i) }, fields: fields)
        default: return .null
        }
    }

    /// An all-NULL column of `count` rows.
    public static func nulls(_ type: DataType, count: Int) -> Column {
        Column(type: type, data: ColumnData.zeros(type, count: count), validity: [UInt8](repeating: 0, count: count))
    }

    /// A column holding `value` `count` times (NULL gives an all-null column).
    public static func constant(_ value: Value, type: DataType, count: Int) -> Column {
        if count > 1, type.physical == .list || type.physical == .fields {
            // Nested values: built once, then repeated by gathering (no per-row `Value` work).
            var one = ColumnBuilder(type: type, capacity: 1)
            one.append(value)
            return one.finish().gather([Int32](repeating: 0, count: count))
        }
        var b = ColumnBuilder(type: type, capacity: count)
        for _ in 0..<count { b.append(value) }
        return b.finish()
    }

    /// Rows at the given indices, in that order. Dictionary columns stay dictionary-encoded.
    public func gather(_ indices: UnsafeBufferPointer<Int32>) -> Column {
        let n = indices.count
        var newValidity: [UInt8]? = nil
        if let v = validity {
            newValidity = [UInt8](unsafeUninitializedCapacity: n) { buf, c in
                v.withUnsafeBufferPointer { src in for k in 0..<n { buf[k] = src[Int(indices[k])] } }
                c = n
            }
        }
        func g<T>(_ a: [T]) -> [T] {
            [T](unsafeUninitializedCapacity: n) { buf, c in
                a.withUnsafeBufferPointer { src in for k in 0..<n { buf.initializeElement(at: k, to: src[Int(indices[k])]) } }
                c = n
            }
        }
        switch data {
        case let .bool(a): return Column(type: type, data: .bool(g(a)), validity: newValidity)
        case let .int32(a): return Column(type: type, data: .int32(g(a)), validity: newValidity)
        case let .int64(a): return Column(type: type, data: .int64(g(a)), validity: newValidity)
        case let .int128(a): return Column(type: type, data: .int128(g(a)), validity: newValidity)
        case let .double(a): return Column(type: type, data: .double(g(a)), validity: newValidity)
        case let .dictionary(codes, dict): return Column(type: type, data: .dictionary(codes: g(codes), dictionary: dict), validity: newValidity)
        case let .string(s):
            return Column(type: type, data: .string(s.gathered(indices)), validity: newValidity)
        case let .list(offsets, child):
            var newOffsets = [Int32](repeating: 0, count: n + 1)
            var childRows: [Int32] = []
            var total: Int32 = 0
            for k in 0..<n {
                let row = Int(indices[k])
                let lo = offsets[row], hi = offsets[row + 1]
                total += hi - lo
                newOffsets[k + 1] = total
                var r = lo
                while r < hi { childRows.append(r); r += 1 }
            }
            return Column(type: type, data: .list(offsets: newOffsets, child: child.gather(childRows)), validity: newValidity)
        case let .fields(columns):
            return Column(type: type, data: .fields(columns.map { $0.gather(indices) }), validity: newValidity)
        }
    }

    public func gather(_ indices: [Int32]) -> Column {
        indices.withUnsafeBufferPointer { gather($0) }
    }

    /// Rows `range` of this column.
    public func slice(_ range: Range<Int>) -> Column {
        if range.lowerBound == 0 && range.upperBound == count { return self }
        let v = validity.map { Array($0[range]) }
        switch data {
        case let .bool(a): return Column(type: type, data: .bool(Array(a[range])), validity: v)
        case let .int32(a): return Column(type: type, data: .int32(Array(a[range])), validity: v)
        case let .int64(a): return Column(type: type, data: .int64(Array(a[range])), validity: v)
        case let .int128(a): return Column(type: type, data: .int128(Array(a[range])), validity: v)
        case let .double(a): return Column(type: type, data: .double(Array(a[range])), validity: v)
        case let .dictionary(codes, dict): return Column(type: type, data: .dictionary(codes: Array(codes[range]), dictionary: dict), validity: v)
        case let .string(s):
            let lo = s.offsets[range.lowerBound], hi = s.offsets[range.upperBound]
            let offs = s.offsets[range.lowerBound...range.upperBound].map { $0 - lo }
            return Column(type: type, data: .string(StringArray(offsets: offs, bytes: Array(s.bytes[lo..<hi]))), validity: v)
        case let .list(offsets, child):
            let lo = offsets[range.lowerBound], hi = offsets[range.upperBound]
            let offs = offsets[range.lowerBound...range.upperBound].map { $0 - lo }
            return Column(type: type, data: .list(offsets: offs, child: child.slice(Int(lo)..<Int(hi))), validity: v)
        case let .fields(columns):
            return Column(type: type, data: .fields(columns.map { $0.slice(range) }), validity: v)
        }
    }

    /// Decodes a dictionary column into plain strings; other columns are returned unchanged.
    public func flattened() -> Column {
        guard case let .dictionary(codes, dict) = data else { return self }
        var out = StringArray()
        out.reserve(strings: codes.count, bytes: codes.count * 8)
        for c in codes { out.append(from: dict, at: Int(c)) }
        return Column(type: type, data: .string(out), validity: validity)
    }
}

extension ColumnData {
    /// A zero-filled buffer of the given physical type.
    public static func zeros(_ p: PhysicalType, count: Int) -> ColumnData {
        switch p {
        case .bool: return .bool([Bool](repeating: false, count: count))
        case .int32: return .int32([Int32](repeating: 0, count: count))
        case .int64: return .int64([Int64](repeating: 0, count: count))
        case .int128: return .int128([Int128](repeating: 0, count: count))
        case .double: return .double([Double](repeating: 0, count: count))
        case .string: return .string(StringArray(offsets: [Int](repeating: 0, count: count + 1), bytes: []))
        case .list: return .list(offsets: [Int32](repeating: 0, count: count + 1), child: Column(type: .null, data: .int32([])))
        case .fields: return .fields([])
        }
    }

    /// Zero-filled (all empty, for lists) data for `type`: unlike `zeros(_:count:)`, a list's child has the element type.
    public static func zeros(_ type: DataType, count: Int) -> ColumnData {
        if case let .row(fields) = type {
            return .fields(fields.map { Column(type: $0.type, data: zeros($0.type, count: count), validity: [UInt8](repeating: 0, count: count)) })
        }
        guard let element = type.listChildType else { return zeros(type.physical, count: count) }
        return .list(offsets: [Int32](repeating: 0, count: count + 1), child: Column(type: element, data: zeros(element, count: 0)))
    }
}
