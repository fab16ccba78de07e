/// The entries of a dictionary-encoded VARCHAR chunk that some non-NULL row refers to, found from the packed
/// codes without decoding them into a vector (for `COUNT(DISTINCT …)` over a dictionary column).
public struct UsedDictionaryEntries: Sendable {
    public var dictionary: StringArray
    /// `used[e]`: some non-NULL row has code `e`.
    public var used: [Bool]
}

extension DataFileReader {
    /// The used dictionary entries of a VARCHAR chunk, or nil when the chunk is not dictionary-encoded VARCHAR.
    /// The payload is checked like a decode (code range, sizes, end of payload).
    public func usedDictionaryEntries(rowGroup: Int, column: Int) throws -> UsedDictionaryEntries? {
        let meta = try metadata(rowGroup: rowGroup, column: column)
        guard schema.fields[column].type.physical == .string, meta.encoding == .dictionary else { return nil }
        let n = rowGroups[rowGroup].rowCount
        let payload = try payload(meta, rowGroup: rowGroup, column: column)
        do {
            return try payload.withUnsafeBytes { raw -> UsedDictionaryEntries in
                var reader = ByteReader(raw)
                let validity = meta.statistics.nullCount > 0 ? try NullBitmap.read(&reader, rowCount: n, nullCount: meta.statistics.nullCount) : nil
                let size = try reader.readCount(UInt32.self, limit: n, "dictionary size")
                guard size >= 1 || n == 0 else { throw FormatViolation("empty dictionary") }
                let dictionary = try StringChunkDecoder.readPlain(&reader, count: size)
                let block = try BitPacking.readBlock(&reader, count: n)
                let last = UInt64(Swift.max(size - 1, 0))
                var outOfRange = false
                var used = [Bool](repeating: false, count: Swift.max(size, 1))
                used.withUnsafeMutableBufferPointer { u in
                    if let validity {
                        validity.withUnsafeBufferPointer { v in
                            block.forEachValue(count: n) { i, code in
                                outOfRange = outOfRange || code > last
                                if v[i] != 0 { u[Int(truncatingIfNeeded: Swift.min(code, last))] = true }
                            }
                        }
                    } else {
                        block.forEachValue(count: n) { _, code in
                            outOfRange = outOfRange || code > last
                            u[Int(truncatingIfNeeded: Swift.min(code, last))] = true
                        }
                    }
                }
                if outOfRange { throw FormatViolation("dictionary code out of range") }
                try reader.expectEnd("values")
                if size == 0 { used = [] }
                return UsedDictionaryEntries(dictionary: dictionary, used: used)
            }
        } catch let violation as FormatViolation {
            throw corruption(violation.reason, rowGroup: rowGroup, column: column)
        }
    }
}
