import Storage

/// Decodes the two delta encodings of byte arrays into a `StringArray`:
/// DELTA_LENGTH_BYTE_ARRAY (delta-packed lengths, then the bytes back to back) and DELTA_BYTE_ARRAY
/// (delta-packed shared-prefix lengths, then the suffixes as DELTA_LENGTH_BYTE_ARRAY).
enum DeltaByteArrayDecoder {
    static func decodeLengths(_ cursor: inout ByteCursor, count: Int, what: String) throws -> StringArray {
        let lengths = try DeltaBinaryPackedDecoder.decode(&cursor, count: count, what: what)
        var out = StringArray()
        out.offsets.reserveCapacity(count + 1)
        var total = 0
        for l in lengths {
            guard l >= 0, l <= Int64(cursor.remaining - total) else { throw TarnError.corruption("\(what): a value length \(l) runs past the page") }
            total += Int(l)
        }
        let start = try cursor.take(total, what)
        out.bytes = Array(UnsafeRawBufferPointer(rebasing: cursor.base[start..<start + total]))
        var offset = 0
        for l in lengths {
            offset += Int(l)
            out.offsets.append(offset)
        }
        return out
    }

    static func decode(_ cursor: inout ByteCursor, count: Int, what: String) throws -> StringArray {
        let prefixes = try DeltaBinaryPackedDecoder.decode(&cursor, count: count, what: what)
        let suffixes = try decodeLengths(&cursor, count: count, what: what)
        var out = StringArray()
        out.offsets.reserveCapacity(count + 1)
        var bytes = [UInt8]()
        bytes.reserveCapacity(suffixes.bytes.count * 2)
        var previousStart = 0, previousLength = 0
        for i in 0..<count {
            let prefix = prefixes[i]
            guard prefix >= 0, prefix <= Int64(previousLength) else {
                throw TarnError.corruption("\(what): DELTA_BYTE_ARRAY prefix \(prefix) is longer than the previous value")
            }
            let start = bytes.count
            for k in 0..<Int(prefix) { bytes.append(bytes[previousStart + k]) }
            let lo = suffixes.offsets[i], hi = suffixes.offsets[i + 1]
            bytes.append(contentsOf: suffixes.bytes[lo..<hi])
            previousStart = start
            previousLength = bytes.count - start
            out.offsets.append(bytes.count)
        }
        out.bytes = bytes
        return out
    }
}
