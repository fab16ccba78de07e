/// Buffers the rows of one column until a row group is full. Dictionary input is flattened to plain strings
/// and NULL string slots are stored empty.
struct ColumnAccumulator {
    let type: DataType
    private var bools: [Bool] = []
    private var int32s: [Int32] = []
    private var int64s: [Int64] = []
    private var int128s: [Int128] = []
    private var doubles: [Double] = []
    private var strings = StringArray()
    private var validity: [UInt8] = []
    private var nullCount = 0
    /// Array, map and row rows, kept as slices and concatenated by `take`.
    private var lists: [Column] = []

    init(type: DataType) { self.type = type }

    var count: Int { validity.count }

    /// Appends rows `range` of `column`, which must have this accumulator's physical type.
    mutating func append(_ column: Column, rows range: Range<Int>) throws {
        guard Self.accepts(type.physical, column.data) else {
            throw TarnError(.internal, "data file writer: column of type \(column.type) does not match field type \(type)")
        }
        if let v = column.validity {
            validity.append(contentsOf: v[range])
            for i in range where v[i] == 0 { nullCount += 1 }
        } else {
            validity.append(contentsOf: [UInt8](repeating: 1, count: range.count))  // a memset and a memcpy
        }
        switch (type.physical, column.data) {
        case let (.bool, .bool(a)): bools.append(contentsOf: a[range])
        case let (.int32, .int32(a)): int32s.append(contentsOf: a[range])
        case let (.int64, .int64(a)): int64s.append(contentsOf: a[range])
        case let (.int128, .int128(a)): int128s.append(contentsOf: a[range])
        case let (.double, .double(a)): doubles.append(contentsOf: a[range])
        case let (.string, .string(s)):
            if let v = column.validity {
                // NULL slots become empty strings, whatever bytes the column holds there.
                let indices = range.map { v[$0] != 0 ? Int32($0) : -1 }
                indices.withUnsafeBufferPointer { strings.append(gathering: s, at: $0) }
            } else {
                let lo = s.offsets[range.lowerBound], hi = s.offsets[range.upperBound]
                let shift = strings.bytes.count - lo
                strings.bytes.append(contentsOf: s.bytes[lo ..< hi])
                strings.offsets.append(contentsOf: s.offsets[(range.lowerBound + 1) ... range.upperBound].lazy.map { $0 + shift })
            }
        case let (.string, .dictionary(codes, dictionary)):
            if let v = column.validity {
                let indices = range.map { v[$0] != 0 ? codes[$0] : -1 }
                indices.withUnsafeBufferPointer { strings.append(gathering: dictionary, at: $0) }
            } else {
                codes.withUnsafeBufferPointer { strings.append(gathering: dictionary, at: UnsafeBufferPointer(rebasing: $0[range])) }
            }
        case (.list, .list), (.fields, .fields):
            var part = column.slice(range)
            part.validity = nil
            lists.append(part)
        default: break
        }
    }

    private static func accepts(_ physical: PhysicalType, _ data: ColumnData) -> Bool {
        switch (physical, data) {
        case (.bool, .bool), (.int32, .int32), (.int64, .int64), (.int128, .int128), (.double, .double), (.string, .string), (.string, .dictionary), (.list, .list), (.fields, .fields): return true
        default: return false
        }
    }

    /// The buffered rows as a column; the accumulator is left empty.
    mutating func take() -> Column {
        let data: ColumnData
        switch type.physical {
        case .bool: data = .bool(bools); bools = []
        case .int32: data = .int32(int32s); int32s = []
        case .int64: data = .int64(int64s); int64s = []
        case .int128: data = .int128(int128s); int128s = []
        case .double: data = .double(doubles); doubles = []
        case .string: data = .string(strings); strings = StringArray()
        case .list, .fields: data = Column.concatenate(lists, type: type).data; lists = []
        }
        let column = Column(type: type, data: data, validity: nullCount > 0 ? validity : nil)
        validity = []
        nullCount = 0
        return column
    }
}
