/// Chooses and writes the encoding of a stream of fixed-width integers (also BOOLEAN as 0/1 bytes and
/// DOUBLE as IEEE-754 bit patterns). All arithmetic is two's-complement wrapping, so every encoding is lossless
/// for every value, including Int64.min/max.
///
/// Selection: one pass gathers min, max, run count and the delta range; sizes of plain, frame-of-reference,
/// delta and run-length are then computed exactly, dictionary's is computed after a cheap sample shows few
/// distinct values. The smallest wins; a non-plain encoding must be at most 7/8 of plain (decode speed).
enum IntegerChunkEncoder {
    static func encode<T: FixedWidthInteger & SignedInteger>(_ values: UnsafeBufferPointer<T>, into writer: inout ByteWriter) -> ChunkEncoding {
        let n = values.count
        let width = MemoryLayout<T>.size
        guard n > 1 else { writer.write(array: values); return .plain }

        var minValue = Int64(values[0]), maxValue = minValue
        var minDelta = Int64.max, maxDelta = Int64.min
        var runs = 1
        var previous = minValue
        for i in 1 ..< n {
            let v = Int64(values[i])
            minValue = Swift.min(minValue, v)
            maxValue = Swift.max(maxValue, v)
            let d = v &- previous
            minDelta = Swift.min(minDelta, d)
            maxDelta = Swift.max(maxDelta, d)
            runs &+= v != previous ? 1 : 0
            previous = v
        }
        let plainSize = n * width
        let forWidth = BitPacking.bitWidth(UInt64(bitPattern: maxValue &- minValue))
        let deltaWidth = BitPacking.bitWidth(UInt64(bitPattern: maxDelta &- minDelta))
        var best = ChunkEncoding.plain
        var bestSize = plainSize * DataFileLayout.zstdKeepNumerator / DataFileLayout.zstdKeepDenominator
        func consider(_ encoding: ChunkEncoding, _ size: Int) {
            if size < bestSize { best = encoding; bestSize = size }
        }
        consider(.frameOfReference, 8 + BitPacking.blockSize(count: n, width: forWidth))
        consider(.delta, 16 + BitPacking.blockSize(count: n - 1, width: deltaWidth))
        consider(.runLength, 4 + runs * (width + 4))

        var dictionary: [T: UInt32] = [:]
        var dictionaryValues: [T] = []
        if n >= 64, forWidth > 2, fewDistinctInSample(values) {
            let limit = Swift.min(n / 4, 1 << 16)
            dictionary.reserveCapacity(256)
            for v in values where dictionary[v] == nil {
                if dictionaryValues.count >= limit { break }
                dictionary[v] = UInt32(dictionaryValues.count)
                dictionaryValues.append(v)
            }
            if dictionary.count < limit || (dictionary.count == limit && values.allSatisfy { dictionary[$0] != nil }) {
                let codeWidth = BitPacking.bitWidth(UInt64(dictionaryValues.count - 1))
                consider(.dictionary, 4 + dictionaryValues.count * width + BitPacking.blockSize(count: n, width: codeWidth))
            }
        }

        switch best {
        case .plain:
            writer.write(array: values)
        case .frameOfReference:
            writer.write(minValue)
            let offsets = [UInt64](unsafeUninitializedCapacity: n) { out, c in
                for i in 0 ..< n { out[i] = UInt64(bitPattern: Int64(values[i]) &- minValue) }
                c = n
            }
            offsets.withUnsafeBufferPointer { BitPacking.write($0, width: forWidth, to: &writer) }
        case .delta:
            writer.write(Int64(values[0]))
            writer.write(minDelta)
            let deltas = [UInt64](unsafeUninitializedCapacity: n - 1) { out, c in
                for i in 1 ..< n { out[i - 1] = UInt64(bitPattern: (Int64(values[i]) &- Int64(values[i - 1])) &- minDelta) }
                c = n - 1
            }
            deltas.withUnsafeBufferPointer { BitPacking.write($0, width: deltaWidth, to: &writer) }
        case .runLength:
            var runValues: [T] = []
            var runLengths: [UInt32] = []
            runValues.reserveCapacity(runs)
            runLengths.reserveCapacity(runs)
            var start = 0
            for i in 1 ... n where i == n || values[i] != values[start] {
                runValues.append(values[start])
                runLengths.append(UInt32(i - start))
                start = i
            }
            writer.write(UInt32(runValues.count))
            runValues.withUnsafeBufferPointer { writer.write(array: $0) }
            runLengths.withUnsafeBufferPointer { writer.write(array: $0) }
        case .dictionary:
            writer.write(UInt32(dictionaryValues.count))
            dictionaryValues.withUnsafeBufferPointer { writer.write(array: $0) }
            let codes = [UInt64](unsafeUninitializedCapacity: n) { out, c in
                for i in 0 ..< n { out[i] = UInt64(dictionary[values[i]] ?? 0) }
                c = n
            }
            let codeWidth = BitPacking.bitWidth(UInt64(dictionaryValues.count - 1))
            codes.withUnsafeBufferPointer { BitPacking.write($0, width: codeWidth, to: &writer) }
        }
        return best
    }

    /// True when the first 1024 values hold at most 256 distinct values (worth counting them all).
    private static func fewDistinctInSample<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>) -> Bool {
        var seen = Set<T>(minimumCapacity: 512)
        for v in values.prefix(1024) {
            seen.insert(v)
            if seen.count > 256 { return false }
        }
        return true
    }
}
