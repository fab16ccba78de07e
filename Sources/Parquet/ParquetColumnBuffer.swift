import Storage

/// The rows of one column of the row group being filled: a definition level per row (1 present, 0 NULL) and
/// the non-NULL values densely packed in the column's physical type, as Parquet stores them.
struct ParquetColumnBuffer {
    let column: ParquetWriteColumn
    var levels: [UInt8] = []
    var hasNull = false
    var bools: [Bool] = []
    var int32s: [Int32] = []
    var int64s: [Int64] = []
    var doubles: [Double] = []
    /// Plain strings, once `dictionary` gave up (or for a column that never had one).
    var strings = StringArray()
    /// A string column's values as dictionary indices, while the dictionary stays within its limits.
    var dictionary: StringDictionaryAccumulator?

    init(column: ParquetWriteColumn, capacity: Int, dictionaryBytesLimit: Int) {
        self.column = column
        levels.reserveCapacity(capacity)
        switch column.physical {
        case .boolean: bools.reserveCapacity(capacity)
        case .int32: int32s.reserveCapacity(capacity)
        case .int64: int64s.reserveCapacity(capacity)
        case .double: doubles.reserveCapacity(capacity)
        default: dictionary = StringDictionaryAccumulator(maxBytes: dictionaryBytesLimit, capacity: capacity)
        }
    }

    /// The string values as plain strings, whichever way they were gathered.
    var plainStrings: StringArray {
        guard let dictionary, !dictionary.failed else { return strings }
        return dictionary.strings()
    }

    var rows: Int { levels.count }

    var valueCount: Int {
        switch column.physical {
        case .boolean: return bools.count
        case .int32: return int32s.count
        case .int64: return int64s.count
        case .double: return doubles.count
        default:
            if let dictionary, !dictionary.failed { return dictionary.indices.count }
            return strings.count
        }
    }

    /// Appends rows `range` of `c`, which must hold the column's type (INTEGER data is widened into a 64-bit column).
    mutating func append(_ c: Column, _ range: Range<Int>) throws {
        guard range.upperBound <= c.count else {
            throw TarnError(.internal, "Parquet column '\(column.name)': a batch column of \(c.count) rows is shorter than the batch")
        }
        // Levels first: 1 for a present value, 0 for NULL.
        var present = range.count
        if let validity = c.validity {
            let base = levels.count
            levels.append(contentsOf: repeatElement(0, count: range.count))
            present = 0
            levels.withUnsafeMutableBufferPointer { out in
                validity.withUnsafeBufferPointer { v in
                    for (k, i) in range.enumerated() {
                        let l: UInt8 = v[i] != 0 ? 1 : 0
                        out[base + k] = l
                        present &+= Int(l)
                    }
                }
            }
            if present < range.count { hasNull = true }
        } else {
            levels.append(contentsOf: repeatElement(1, count: range.count))
        }
        let allPresent = present == range.count
        let validity = c.validity
        func mismatch() -> TarnError {
            TarnError(.internal, "Parquet column '\(column.name)' of type \(column.type) was given \(c.type) values")
        }
        func gather<T>(_ source: [T], into target: inout [T]) {
            if allPresent { target.append(contentsOf: source[range]); return }
            guard let validity else { return }
            target.reserveCapacity(target.count + present)
            for i in range where validity[i] != 0 { target.append(source[i]) }
        }
        switch (column.physical, c.data) {
        case let (.boolean, .bool(v)): gather(v, into: &bools)
        case let (.int32, .int32(v)): gather(v, into: &int32s)
        case let (.int64, .int64(v)): gather(v, into: &int64s)
        case let (.int64, .int32(v)):
            for i in range where validity?[i] ?? 1 != 0 { int64s.append(Int64(v[i])) }
        case let (.double, .double(v)): gather(v, into: &doubles)
        case let (.byteArray, .string(s)):
            if appendToDictionary(c.data, validity: validity, range) { return }
            if allPresent {
                let lo = s.offsets[range.lowerBound], hi = s.offsets[range.upperBound]
                let shift = strings.bytes.count - lo
                strings.bytes.append(contentsOf: s.bytes[lo..<hi])
                let base = strings.offsets.count
                strings.offsets.append(contentsOf: repeatElement(0, count: range.count))
                strings.offsets.withUnsafeMutableBufferPointer { dst in
                    s.offsets.withUnsafeBufferPointer { src in
                        for k in 0..<range.count { dst[base + k] = src[range.lowerBound + 1 + k] + shift }
                    }
                }
            } else {
                for i in range where validity?[i] ?? 1 != 0 { strings.append(from: s, at: i) }
            }
        case let (.byteArray, .dictionary(codes, dictionary)):
            if appendToDictionary(c.data, validity: validity, range) { return }
            for i in range where validity?[i] ?? 1 != 0 { strings.append(from: dictionary, at: Int(codes[i])) }
        default:
            throw mismatch()
        }
    }

    /// Appends a string column's present rows to the dictionary while it lasts; false (the rows still to append
    /// as plain strings) once it has given up, after moving what it held into `strings`.
    private mutating func appendToDictionary(_ data: ColumnData, validity: [UInt8]?, _ range: Range<Int>) -> Bool {
        guard var d = dictionary, !d.failed else { return false }
        dictionary = nil  // keeps `d` uniquely referenced while it grows
        switch data {
        case let .string(s): d.append(strings: s, validity: validity, range)
        case let .dictionary(codes, dictionary): d.append(codes: codes, dictionary: dictionary, validity: validity, range)
        default: break
        }
        if d.failed {
            strings = d.strings()
            dictionary = d
            return false
        }
        dictionary = d
        return true
    }
}
