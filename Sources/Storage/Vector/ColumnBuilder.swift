/// Builds a `Column` one value at a time. For row-wise paths (VALUES, JSON, CSV, results of small operators);
/// vectorised kernels write buffers directly.
public struct ColumnBuilder: Sendable {
    public let type: DataType
    private var bools: [Bool] = []
    private var i32: [Int32] = []
    private var i64: [Int64] = []
    private var i128: [Int128] = []
    private var f64: [Double] = []
    private var strings = StringArray()
    private var validity: [UInt8] = []
    private var hasNull = false
    /// Arrays and maps: offsets (count + 1) into the elements, which a child builder collects (an array of one, for
    /// indirection); rows: one builder per field.
    private var listOffsets: [Int32] = [0]
    private var elements: [ColumnBuilder] = []

    public init(type: DataType, capacity: Int = 0) {
        self.type = type
        validity.reserveCapacity(capacity)
        switch type.physical {
        case .bool: bools.reserveCapacity(capacity)
        case .int32: i32.reserveCapacity(capacity)
        case .int64: i64.reserveCapacity(capacity)
        case .int128: i128.reserveCapacity(capacity)
        case .double: f64.reserveCapacity(capacity)
        case .string: strings.offsets.reserveCapacity(capacity + 1)
        case .list:
            listOffsets.reserveCapacity(capacity + 1)
            elements = [ColumnBuilder(type: type.listChildType ?? .null)]
        case .fields:
            elements = (type.rowFields ?? []).map { ColumnBuilder(type: $0.type, capacity: capacity) }
        }
    }

    public var count: Int { validity.count }

    public mutating func appendNull() {
        hasNull = true
        validity.append(0)
        switch type.physical {
        case .bool: bools.append(false)
        case .int32: i32.append(0)
        case .int64: i64.append(0)
        case .int128: i128.append(0)
        case .double: f64.append(0)
        case .string: strings.appendEmpty()
        case .list: listOffsets.append(listOffsets[listOffsets.count - 1])
        case .fields: for k in elements.indices { elements[k].appendNull() }
        }
    }

    /// Appends a value already of this builder's type (the caller casts first); a mismatched value appends NULL.
    public mutating func append(_ v: Value) {
        switch (type.physical, v) {
        case (_, .null): appendNull(); return
        case let (.bool, .boolean(b)): bools.append(b)
        case let (.int32, .integer(x)): i32.append(x)
        case let (.int32, .date(x)): i32.append(x)
        case let (.int64, .bigint(x)): i64.append(x)
        case let (.int64, .timestamp(x)): i64.append(x)
        case let (.int64, .timestampTZ(x)): i64.append(x)
        case let (.int64, .decimal(x, _)): i64.append(x)
        case let (.int64, .integer(x)): i64.append(Int64(x))
        case let (.int128, .decimal128(x, _)): i128.append(x)
        case let (.int64, .decimal128(x, _)) where Int64(exactly: x) != nil: i64.append(Int64(truncatingIfNeeded: x))
        case let (.int128, .decimal(x, _)): i128.append(Int128(x))
        case let (.double, .double(x)): f64.append(x)
        case let (.string, .varchar(s)): strings.append(s)
        case let (.list, .array(values, _)):
            guard !elements.isEmpty else { appendNull(); return }
            for value in values { elements[0].append(value) }
            listOffsets.append(Int32(truncatingIfNeeded: elements[0].count))
        case let (.list, .map(keys, values, _, _)):
            guard !elements.isEmpty, let entry = elements[0].type.rowFields else { appendNull(); return }
            for (k, value) in zip(keys, values) { elements[0].append(.row([k, value], fields: entry)) }
            listOffsets.append(Int32(truncatingIfNeeded: elements[0].count))
        case let (.fields, .row(values, _)):
            guard values.count == elements.count else { appendNull(); return }
            for k in elements.indices { elements[k].append(values[k]) }
        default: appendNull(); return
        }
        validity.append(1)
    }

    public mutating func append(bool v: Bool) { bools.append(v); validity.append(1) }
    public mutating func append(int32 v: Int32) { i32.append(v); validity.append(1) }
    public mutating func append(int64 v: Int64) { i64.append(v); validity.append(1) }
    public mutating func append(int128 v: Int128) { i128.append(v); validity.append(1) }
    public mutating func append(double v: Double) { f64.append(v); validity.append(1) }
    public mutating func append(string v: String) { strings.append(v); validity.append(1) }
    public mutating func append(utf8 v: UnsafeBufferPointer<UInt8>) { strings.append(bytes: v); validity.append(1) }

    public mutating func finish() -> Column {
        let data: ColumnData
        switch type.physical {
        case .bool: data = .bool(bools)
        case .int32: data = .int32(i32)
        case .int64: data = .int64(i64)
        case .int128: data = .int128(i128)
        case .double: data = .double(f64)
        case .string: data = .string(strings)
        case .list:
            let child = elements.isEmpty ? Column(type: .null, data: .int32([])) : elements[0].finish()
            data = .list(offsets: listOffsets, child: child)
        case .fields:
            data = .fields(elements.indices.map { elements[$0].finish() })
        }
        return Column(type: type, data: data, validity: hasNull ? validity : nil)
    }
}
