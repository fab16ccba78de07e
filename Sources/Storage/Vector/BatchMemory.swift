/// Cheap estimates of the memory vectors hold, for accounting operator state against `memory_limit`:
/// the sum of the column buffers' byte sizes (not exact; no per-row work).
extension Column {
    /// Bytes of this column's buffers (values, string bytes and offsets, dictionary, validity).
    public var estimatedBytes: Int {
        let validityBytes = validity?.count ?? 0
        switch data {
        case let .bool(v): return v.count + validityBytes
        case let .int32(v): return v.count * 4 + validityBytes
        case let .int64(v): return v.count * 8 + validityBytes
        case let .int128(v): return v.count * 16 + validityBytes
        case let .double(v): return v.count * 8 + validityBytes
        case let .string(s): return s.bytes.count + s.offsets.count * 8 + validityBytes
        case let .dictionary(codes, dictionary):
            return codes.count * 4 + dictionary.bytes.count + dictionary.offsets.count * 8 + validityBytes
        case let .list(offsets, child): return offsets.count * 4 + child.estimatedBytes + validityBytes
        case let .fields(columns): return columns.reduce(validityBytes) { $0 + $1.estimatedBytes }
        }
    }
}

extension Batch {
    /// Bytes of all column buffers of the batch (see `Column.estimatedBytes`).
    public var estimatedBytes: Int {
        var total = 0
        for column in columns { total += column.estimatedBytes }
        return total
    }
}
