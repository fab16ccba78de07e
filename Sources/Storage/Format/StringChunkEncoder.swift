/// Chooses and writes the encoding of a VARCHAR chunk: plain (u32 lengths, then the bytes) or dictionary
/// (distinct strings in plain layout, then bit-packed codes). Dictionary is tried when a 4096-row sample has at
/// most three quarters distinct values (a column of a thousand-odd ids, such as ad ids, is 60 % distinct over its
/// first 1024 rows yet repeats a hundred times in a chunk), abandoned once more than half the chunk is distinct, and
/// kept when smaller.
enum StringChunkEncoder {
    static func encode(_ strings: StringArray, into writer: inout ByteWriter) -> ChunkEncoding {
        let n = strings.count
        let plainSize = 4 * n + strings.bytes.count
        if n >= 16, let (dictionary, codes) = buildDictionary(strings) {
            let codeWidth = BitPacking.bitWidth(UInt64(dictionary.count - 1))
            let dictionarySize = 4 + 4 * dictionary.count + dictionary.bytes.count + BitPacking.blockSize(count: n, width: codeWidth)
            if dictionarySize < plainSize {
                writer.write(UInt32(dictionary.count))
                writePlain(dictionary, into: &writer)
                codes.withUnsafeBufferPointer { BitPacking.write($0, width: codeWidth, to: &writer) }
                return .dictionary
            }
        }
        writePlain(strings, into: &writer)
        return .plain
    }

    static func writePlain(_ strings: StringArray, into writer: inout ByteWriter) {
        let n = strings.count
        let lengths = [UInt32](unsafeUninitializedCapacity: n) { out, c in
            strings.offsets.withUnsafeBufferPointer { o in
                for i in 0 ..< n { out[i] = UInt32(truncatingIfNeeded: o[i + 1] - o[i]).littleEndian }
            }
            c = n
        }
        lengths.withUnsafeBufferPointer { writer.write(array: $0) }
        let lo = strings.offsets[0], hi = strings.offsets[n]
        strings.bytes.withUnsafeBytes { writer.write(bytes: UnsafeRawBufferPointer(rebasing: $0[lo ..< hi])) }
    }

    /// The dictionary and per-row codes, or nil when the strings are too distinct for it to pay off.
    private static func buildDictionary(_ strings: StringArray) -> (StringArray, [UInt64])? {
        let n = strings.count
        let sample = Swift.min(n, 4096)
        var sampleBuilder = StringDictionaryBuilder(limit: sample * 3 / 4)
        let ok: Bool = strings.bytes.withUnsafeBytes { bytes in
            strings.offsets.withUnsafeBufferPointer { o in
                for i in 0 ..< sample {
                    guard sampleBuilder.code(of: UnsafeRawBufferPointer(rebasing: bytes[o[i] ..< o[i + 1]])) != nil else { return false }
                }
                return true
            }
        }
        guard ok else { return nil }
        var builder = StringDictionaryBuilder(limit: n / 2)
        var failed = false
        let codes = [UInt64](unsafeUninitializedCapacity: n) { out, c in
            strings.bytes.withUnsafeBytes { bytes in
                strings.offsets.withUnsafeBufferPointer { o in
                    for i in 0 ..< n {
                        guard let code = builder.code(of: UnsafeRawBufferPointer(rebasing: bytes[o[i] ..< o[i + 1]])) else {
                            failed = true
                            return
                        }
                        out[i] = UInt64(code)
                    }
                }
            }
            c = failed ? 0 : n
        }
        return failed ? nil : (builder.entries, codes)
    }
}
