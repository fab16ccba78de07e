/// The null bitmap section of a chunk: `ceil(rowCount/8)` bytes, bit `i % 8` of byte `i / 8` set when row `i` is
/// valid (not NULL). Present only when the chunk's null count is non-zero.
enum NullBitmap {
    static func write(validity: [UInt8], to writer: inout ByteWriter) {
        let n = validity.count
        let byteCount = (n + 7) / 8
        let start = writer.bytes.count
        writer.writeZeros(byteCount)
        validity.withUnsafeBufferPointer { v in
            writer.bytes.withUnsafeMutableBufferPointer { out in
                for i in 0 ..< n where v[i] != 0 { out[start + (i >> 3)] |= UInt8(1) << UInt8(i & 7) }
            }
        }
    }

    /// Validity bytes (1 valid, 0 NULL); throws unless exactly `nullCount` rows are NULL.
    static func read(_ reader: inout ByteReader, rowCount: Int, nullCount: Int) throws -> [UInt8] {
        let bits = try reader.bytes((rowCount + 7) / 8, "null bitmap")
        var valid = 0
        let validity = [UInt8](unsafeUninitializedCapacity: rowCount) { out, count in
            // Whole bytes: eight rows each, counted with a popcount (no per-row variable shift).
            let whole = rowCount >> 3
            for k in 0 ..< whole {
                let b = bits[k]
                let o = k &<< 3
                out[o] = b & 1; out[o &+ 1] = (b &>> 1) & 1; out[o &+ 2] = (b &>> 2) & 1; out[o &+ 3] = (b &>> 3) & 1
                out[o &+ 4] = (b &>> 4) & 1; out[o &+ 5] = (b &>> 5) & 1; out[o &+ 6] = (b &>> 6) & 1; out[o &+ 7] = b &>> 7
                valid &+= b.nonzeroBitCount
            }
            for i in (whole &<< 3) ..< rowCount {
                let b = (bits[i >> 3] >> UInt8(i & 7)) & 1
                out[i] = b
                valid &+= Int(b)
            }
            count = rowCount
        }
        guard rowCount - valid == nullCount else {
            throw FormatViolation("null bitmap has \(rowCount - valid) NULLs, footer says \(nullCount)")
        }
        return validity
    }
}
