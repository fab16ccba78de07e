import Storage

/// Densely packed values of one physical type (NULLs are not stored): what a page or dictionary decodes to,
/// and what a batch accumulates before NULLs are spread in and the logical conversion applied.
enum DecodedValues {
    case bool([Bool])
    case int32([Int32])
    case int64([Int64])
    case float([Float])
    case double([Double])
    /// BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY and INT96 values, each as a byte string.
    case bytes(StringArray)
    /// Indices into the column chunk's string dictionary (kept so strings stay dictionary-encoded).
    case codes([Int32])

    var count: Int {
        switch self {
        case let .bool(v): return v.count
        case let .int32(v): return v.count
        case let .int64(v): return v.count
        case let .float(v): return v.count
        case let .double(v): return v.count
        case let .bytes(v): return v.count
        case let .codes(v): return v.count
        }
    }

    /// An empty buffer of the case a page of `physical` values decodes to.
    static func empty(_ physical: PhysicalKind) -> DecodedValues {
        switch physical {
        case .boolean: return .bool([])
        case .int32: return .int32([])
        case .int64: return .int64([])
        case .float: return .float([])
        case .double: return .double([])
        case .int96, .byteArray, .fixedLenByteArray: return .bytes(StringArray())
        }
    }

    /// Values at `indices` (already checked to be in range) — a dictionary looked up by a page's indices.
    func gather(_ indices: [Int32]) -> DecodedValues {
        func g<T>(_ a: [T]) -> [T] {
            [T](unsafeUninitializedCapacity: indices.count) { buffer, n in
                a.withUnsafeBufferPointer { src in
                    indices.withUnsafeBufferPointer { idx in
                        for k in 0..<idx.count { buffer.initializeElement(at: k, to: src[Int(idx[k])]) }
                    }
                }
                n = indices.count
            }
        }
        switch self {
        case let .bool(v): return .bool(g(v))
        case let .int32(v): return .int32(g(v))
        case let .int64(v): return .int64(g(v))
        case let .float(v): return .float(g(v))
        case let .double(v): return .double(g(v))
        case let .codes(v): return .codes(g(v))
        case let .bytes(s):
            var out = StringArray()
            var total = 0
            for i in indices { total += s.length(at: Int(i)) }
            out.reserve(strings: indices.count, bytes: total)
            for i in indices { out.append(from: s, at: Int(i)) }
            return .bytes(out)
        }
    }

    /// Makes room for `n` values, so a batch assembled from several pages is not copied as it grows.
    mutating func reserve(_ n: Int) {
        switch self {
        case .bool(var a): self = .codes([]); a.reserveCapacity(n); self = .bool(a)
        case .int32(var a): self = .bool([]); a.reserveCapacity(n); self = .int32(a)
        case .int64(var a): self = .bool([]); a.reserveCapacity(n); self = .int64(a)
        case .float(var a): self = .bool([]); a.reserveCapacity(n); self = .float(a)
        case .double(var a): self = .bool([]); a.reserveCapacity(n); self = .double(a)
        case .codes(var a): self = .bool([]); a.reserveCapacity(n); self = .codes(a)
        case .bytes(var a): self = .bool([]); a.offsets.reserveCapacity(n + 1); self = .bytes(a)
        }
    }

    /// Appends `count` values of `other` starting at `start`; `other` must be of the same case
    /// (the caller turns codes into bytes first when a column falls back from its dictionary).
    mutating func append(_ other: DecodedValues, from start: Int, count: Int) throws {
        if count == 0 { return }
        let range = start..<start + count
        switch (self, other) {
        case (.bool(var a), let .bool(b)): self = .int32([]); a.append(contentsOf: b[range]); self = .bool(a)
        case (.int32(var a), let .int32(b)): self = .bool([]); a.append(contentsOf: b[range]); self = .int32(a)
        case (.int64(var a), let .int64(b)): self = .bool([]); a.append(contentsOf: b[range]); self = .int64(a)
        case (.float(var a), let .float(b)): self = .bool([]); a.append(contentsOf: b[range]); self = .float(a)
        case (.double(var a), let .double(b)): self = .bool([]); a.append(contentsOf: b[range]); self = .double(a)
        case (.codes(var a), let .codes(b)): self = .bool([]); a.append(contentsOf: b[range]); self = .codes(a)
        case (.bytes(var a), let .bytes(b)):
            self = .bool([])
            let lo = b.offsets[start], hi = b.offsets[start + count]
            a.bytes.append(contentsOf: b.bytes[lo..<hi])
            let shift = a.offsets[a.offsets.count - 1] - lo
            let base = a.offsets.count
            a.offsets.append(contentsOf: repeatElement(0, count: count))
            a.offsets.withUnsafeMutableBufferPointer { dst in
                b.offsets.withUnsafeBufferPointer { src in
                    for k in 0..<count { dst[base + k] = src[start + 1 + k] + shift }
                }
            }
            self = .bytes(a)
        default:
            throw TarnError(.internal, "mismatched value buffers while assembling a Parquet batch")
        }
    }

    /// Spreads `count` dense values over the rows whose `validity` byte is 1 (NULL rows get a zero / empty value).
    func spread(_ validity: [UInt8]) -> DecodedValues {
        let rows = validity.count
        func s<T>(_ a: [T], _ zero: T) -> [T] {
            [T](unsafeUninitializedCapacity: rows) { buffer, n in
                a.withUnsafeBufferPointer { src in
                    validity.withUnsafeBufferPointer { valid in
                        var j = 0
                        for i in 0..<rows {
                            if valid[i] != 0, j < src.count { buffer.initializeElement(at: i, to: src[j]); j += 1 }
                            else { buffer.initializeElement(at: i, to: zero) }
                        }
                    }
                }
                n = rows
            }
        }
        switch self {
        case let .bool(v): return .bool(s(v, false))
        case let .int32(v): return .int32(s(v, 0))
        case let .int64(v): return .int64(s(v, 0))
        case let .float(v): return .float(s(v, 0))
        case let .double(v): return .double(s(v, 0))
        case let .codes(v): return .codes(s(v, 0))
        case let .bytes(b):
            let valueCount = b.count
            let offsets = [Int](unsafeUninitializedCapacity: rows + 1) { dst, n in
                b.offsets.withUnsafeBufferPointer { src in
                    validity.withUnsafeBufferPointer { valid in
                        dst[0] = src[0]
                        var j = 0
                        for i in 0..<rows {
                            if valid[i] != 0, j < valueCount { j += 1 }
                            dst[i + 1] = src[j]
                        }
                    }
                }
                n = rows + 1
            }
            return .bytes(StringArray(offsets: offsets, bytes: b.bytes))
        }
    }
}
