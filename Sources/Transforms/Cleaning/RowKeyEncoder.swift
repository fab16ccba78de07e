import Storage

/// Encodes the values of some columns of a row as bytes, to group rows by those columns without boxing
/// each value. NULL is its own key (as in GROUP BY). Equal values of the same types give equal bytes.
struct RowKeyEncoder {
    let columns: [Column]

    init(batch: Batch, indices: [Int]) {
        columns = indices.map { batch.columns[$0].flattened() }
    }

    func key(_ row: Int, into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        for column in columns {
            if column.isNull(row) { buffer.append(0); continue }
            buffer.append(1)
            switch column.data {
            case let .bool(a): buffer.append(a[row] ? 1 : 0)
            case let .int32(a): withUnsafeBytes(of: a[row]) { buffer.append(contentsOf: $0) }
            case let .int64(a): withUnsafeBytes(of: a[row]) { buffer.append(contentsOf: $0) }
            case let .int128(a): withUnsafeBytes(of: a[row]) { buffer.append(contentsOf: $0) }
            case let .double(a): withUnsafeBytes(of: a[row] == 0 ? 0.0 : a[row]) { buffer.append(contentsOf: $0) }
            case let .string(s):
                let n = s.length(at: row)
                withUnsafeBytes(of: Int32(n)) { buffer.append(contentsOf: $0) }
                buffer.append(contentsOf: s.bytes[s.offsets[row]..<s.offsets[row + 1]])
            case let .dictionary(codes, dict):
                let i = Int(codes[row])
                withUnsafeBytes(of: Int32(dict.length(at: i))) { buffer.append(contentsOf: $0) }
                buffer.append(contentsOf: dict.bytes[dict.offsets[i]..<dict.offsets[i + 1]])
            case .list, .fields:
                let text = Array(column.value(at: row).description.utf8)
                withUnsafeBytes(of: Int32(text.count)) { buffer.append(contentsOf: $0) }
                buffer.append(contentsOf: text)
            }
        }
    }
}

/// Numeric view of a column as doubles (NULL slots unspecified; check validity).
enum NumericColumn {
    static func doubles(_ column: Column) throws -> [Double] {
        switch (column.type, column.data) {
        case let (.double, .double(a)): return a
        case let (.integer, .int32(a)): return a.map(Double.init)
        case let (.bigint, .int64(a)): return a.map(Double.init)
        case let (.decimal(_, scale), .int64(a)):
            var divisor = 1.0
            for _ in 0..<scale { divisor *= 10 }
            return a.map { Double($0) / divisor }
        default: throw TarnError.semantic("column of type \(column.type) is not numeric")
        }
    }
}
