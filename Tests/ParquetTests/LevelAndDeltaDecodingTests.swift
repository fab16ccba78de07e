import XCTest
@testable import Parquet
import Storage

/// The RLE/bit-packed hybrid, DELTA_BINARY_PACKED and the byte-array delta encodings, against hand-built and
/// encoder-built inputs.
final class LevelAndDeltaDecodingTests: XCTestCase {
    private func rle(_ bytes: [UInt8], width: Int, count: Int, max: UInt64 = UInt64(UInt32.max)) throws -> [Int32] {
        try bytes.withUnsafeBytes { raw in
            var c = ByteCursor(raw)
            return try RLEBitPackedDecoder.decode(&c, bitWidth: width, count: count, maxValue: max, as: Int32.self, what: "test")
        }
    }

    func testBitPackedRunFromTheSpec() throws {
        // The format spec's example: 0..7 with bit width 3 packs to 0x88 0xC6 0xFA.
        XCTAssertEqual(try rle([0x03, 0x88, 0xC6, 0xFA], width: 3, count: 8), [0, 1, 2, 3, 4, 5, 6, 7])
        // Fewer values wanted than the run holds: the padding is ignored.
        XCTAssertEqual(try rle([0x03, 0x88, 0xC6, 0xFA], width: 3, count: 5), [0, 1, 2, 3, 4])
    }

    func testRLERunsThenBitPacked() throws {
        // 5 × 7 (RLE, width 3 → one value byte), then 8 bit-packed values of width 3.
        let bytes: [UInt8] = [5 << 1, 7, 0x03, 0x88, 0xC6, 0xFA]
        XCTAssertEqual(try rle(bytes, width: 3, count: 13), [7, 7, 7, 7, 7, 0, 1, 2, 3, 4, 5, 6, 7])
        // Width 0: every value is 0 whatever the run says.
        XCTAssertEqual(try rle([20 << 1], width: 0, count: 20), [Int32](repeating: 0, count: 20))
        // A 17-bit RLE value takes three bytes.
        XCTAssertEqual(try rle([2 << 1, 0x01, 0x00, 0x01], width: 17, count: 2), [65537, 65537])
    }

    func testWideBitPackedValuesRoundTrip() throws {
        for width in [1, 5, 8, 13, 20, 31, 32] {
            let values = (0..<64).map { UInt32(truncatingIfNeeded: ($0 &* 2654435761) >> (32 - width)) & UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(width)) - 1) }
            var packed = [UInt8](repeating: 0, count: 64 * width / 8)
            var bit = 0
            for v in values {
                for b in 0..<width where v >> UInt32(b) & 1 == 1 { packed[(bit + b) / 8] |= 1 << UInt8((bit + b) % 8) }
                bit += width
            }
            let decoded = try rle([UInt8(8 << 1 | 1)] + packed, width: width, count: 64)
            XCTAssertEqual(decoded.map { UInt32(bitPattern: $0) }, values, "width \(width)")
        }
    }

    func testRLEErrors() {
        XCTAssertThrowsError(try rle([0x03, 0x88], width: 3, count: 8))       // bit-packed run cut short
        XCTAssertThrowsError(try rle([5 << 1], width: 8, count: 5))           // RLE value missing
        XCTAssertThrowsError(try rle([2 << 1, 9], width: 4, count: 2, max: 3)) // an index above the dictionary
        XCTAssertThrowsError(try rle([], width: 1, count: 1))                 // nothing at all
        XCTAssertThrowsError(try rle([0, 0], width: 1, count: 1))             // an empty run cannot make progress
        XCTAssertThrowsError(try rle([2], width: 33, count: 1))               // width above 32
        XCTAssertThrowsError(try rle([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], width: 1, count: 10)) // a huge bit-packed run
    }

    // MARK: DELTA_BINARY_PACKED

    /// A straightforward DELTA_BINARY_PACKED encoder (block 128, 4 miniblocks of 32).
    static func deltaEncode(_ values: [Int64]) -> [UInt8] {
        var w = ThriftTestWriter()
        w.varint(128); w.varint(4); w.varint(UInt64(values.count)); w.zigzag(values.first ?? 0)
        var i = 1
        while i < values.count {
            let block = Array(values[i..<min(values.count, i + 128)])
            var deltas: [Int64] = []
            var prev = values[i - 1]
            for v in block { deltas.append(v &- prev); prev = v }
            let minDelta = deltas.min() ?? 0
            w.zigzag(minDelta)
            var widths: [Int] = []
            var bodies: [[UInt8]] = []
            for m in 0..<4 {
                let lo = m * 32
                guard lo < deltas.count else { widths.append(0); continue }
                let mini = deltas[lo..<min(deltas.count, lo + 32)].map { UInt64(bitPattern: $0 &- minDelta) }
                let width = mini.map { 64 - $0.leadingZeroBitCount }.max() ?? 0
                widths.append(width)
                var packed = [UInt8](repeating: 0, count: 32 * width / 8)
                var bit = 0
                for v in mini {
                    for b in 0..<width where v >> UInt64(b) & 1 == 1 { packed[(bit + b) / 8] |= 1 << UInt8((bit + b) % 8) }
                    bit += width
                }
                bodies.append(packed)
            }
            w.bytes += widths.map { UInt8($0) }
            for b in bodies { w.bytes += b }
            i += 128
        }
        return w.bytes
    }

    private func delta(_ bytes: [UInt8], count: Int) throws -> [Int64] {
        try bytes.withUnsafeBytes { raw in
            var c = ByteCursor(raw)
            return try DeltaBinaryPackedDecoder.decode(&c, count: count, what: "test")
        }
    }

    func testDeltaBinaryPackedRoundTrips() throws {
        var rng = SystemRandomNumberGenerator()
        let cases: [[Int64]] = [
            [], [42], [1, 2, 3, 4, 5], Array(0..<1000).map { Int64($0) * 3 - 700 },
            (0..<777).map { _ in Int64.random(in: -1_000_000...1_000_000, using: &rng) },
            (0..<300).map { _ in Int64.random(in: Int64.min...Int64.max, using: &rng) },  // 64-bit wide deltas
            [Int64.max, Int64.min, 0, -1, Int64.max],
        ]
        for values in cases {
            XCTAssertEqual(try delta(Self.deltaEncode(values), count: values.count), values)
        }
    }

    func testDeltaBinaryPackedSpecExample() throws {
        // From the format spec: 7, 5, 3, 1, 2, 3, 4, 5 → min delta -2, deltas 0,0,0,3,3,3,3 in width 2.
        let encoded = Self.deltaEncode([7, 5, 3, 1, 2, 3, 4, 5])
        XCTAssertEqual(try delta(encoded, count: 8), [7, 5, 3, 1, 2, 3, 4, 5])
        XCTAssertEqual(encoded[0...4], [128, 1, 4, 8, 14])  // block 128, 4 miniblocks, 8 values, first value 7 (zigzag 14)
    }

    func testDeltaBinaryPackedErrors() {
        let good = Self.deltaEncode(Array(0..<200).map { Int64($0 * $0) })
        XCTAssertThrowsError(try delta(good, count: 199))               // count differs from the header
        // Cut anywhere before the last miniblock: an error. Inside the last miniblock's padding the values are
        // all there, so the result must be exact.
        for cut in 0..<good.count - 1 {
            do {
                let values = try delta(Array(good[0..<cut]), count: 200)
                XCTAssertEqual(values, Array(0..<200).map { Int64($0 * $0) }, "cut at \(cut)")
                XCTAssertGreaterThan(cut, good.count - 40, "cut at \(cut) must be an error")
            } catch {
                XCTAssertTrue(error is TarnError)
            }
        }
        XCTAssertThrowsError(try delta([100, 4, 1, 0], count: 1))                 // block size not a multiple of 128
        XCTAssertEqual(try delta([0x80, 0x01, 1, 0, 0], count: 0), [])            // one miniblock of 128, no values
        XCTAssertThrowsError(try delta([0x80, 0x01, 1, 3, 0, 0, 65], count: 3)) { error in // miniblock width 65
            XCTAssertTrue("\(error)".contains("above 64"), "\(error)")
        }
    }

    func testDeltaLengthAndDeltaByteArray() throws {
        let strings = ["apple", "applesauce", "apply", "", "banana", "band", "bandana", "é€"]
        // DELTA_LENGTH_BYTE_ARRAY: lengths then the bytes.
        var dlba = Self.deltaEncode(strings.map { Int64($0.utf8.count) })
        for s in strings { dlba += Array(s.utf8) }
        let decoded = try dlba.withUnsafeBytes { raw -> StringArray in
            var c = ByteCursor(raw)
            return try DeltaByteArrayDecoder.decodeLengths(&c, count: strings.count, what: "test")
        }
        XCTAssertEqual(decoded.strings(), strings)
        // DELTA_BYTE_ARRAY: shared-prefix lengths, then the suffixes as DELTA_LENGTH_BYTE_ARRAY.
        var prefixes: [Int64] = [], suffixes: [[UInt8]] = []
        var previous: [UInt8] = []
        for s in strings {
            let b = Array(s.utf8)
            var p = 0
            while p < min(b.count, previous.count) && b[p] == previous[p] { p += 1 }
            prefixes.append(Int64(p)); suffixes.append(Array(b[p...]))
            previous = b
        }
        var dba = Self.deltaEncode(prefixes) + Self.deltaEncode(suffixes.map { Int64($0.count) })
        for s in suffixes { dba += s }
        let decoded2 = try dba.withUnsafeBytes { raw -> StringArray in
            var c = ByteCursor(raw)
            return try DeltaByteArrayDecoder.decode(&c, count: strings.count, what: "test")
        }
        XCTAssertEqual(decoded2.strings(), strings)
        // A prefix longer than the previous value is corrupt.
        var bad = Self.deltaEncode([0, 9]) + Self.deltaEncode([1, 1])
        bad += Array("ab".utf8)
        XCTAssertThrowsError(try bad.withUnsafeBytes { raw in
            var c = ByteCursor(raw)
            _ = try DeltaByteArrayDecoder.decode(&c, count: 2, what: "test")
        })
        // Lengths running past the data.
        var long = Self.deltaEncode([3, 50])
        long += Array("abcdef".utf8)
        XCTAssertThrowsError(try long.withUnsafeBytes { raw in
            var c = ByteCursor(raw)
            _ = try DeltaByteArrayDecoder.decodeLengths(&c, count: 2, what: "test")
        })
    }

    func testByteStreamSplit() throws {
        let values: [Double] = [1.5, -2.25, 1e300, 0]
        var raw = [UInt8](repeating: 0, count: 32)
        for (i, v) in values.enumerated() {
            withUnsafeBytes(of: v.bitPattern.littleEndian) { b in for k in 0..<8 { raw[k * 4 + i] = b[k] } }
        }
        let decoded = try raw.withUnsafeBytes { r -> DecodedValues in
            var c = ByteCursor(r)
            return try ByteStreamSplitDecoder.decode(&c, physical: .double, typeLength: 0, count: 4, what: "test")
        }
        guard case let .double(d) = decoded else { return XCTFail("not doubles") }
        XCTAssertEqual(d, values)
        XCTAssertThrowsError(try raw.withUnsafeBytes { r in
            var c = ByteCursor(r)
            _ = try ByteStreamSplitDecoder.decode(&c, physical: .double, typeLength: 0, count: 5, what: "test")
        })
    }
}
