import XCTest
@testable import Parquet
import Storage

final class ThriftCompactReaderTests: XCTestCase {
    func testDecodesFieldsAndSkipsUnknownOnes() throws {
        var w = ThriftTestWriter()
        w.i32(1, -7)
        w.string(4, "héllo")
        w.beginStruct(5)           // an unknown nested struct, to be skipped
        w.i64(1, 1 << 40)
        w.list(2, elementType: 8, count: 2); w.varint(1); w.bytes.append(65); w.varint(0)
        w.endStruct()
        w.bool(6, true)
        w.i64(300, -123456789012)  // a long field id delta (written with an explicit id)
        w.stop()
        var r = ThriftCompactReader(w.bytes)
        var seen: [Int16: String] = [:]
        try r.readStruct { r, id, type in
            switch id {
            case 1: seen[id] = "\(try r.readI32())"
            case 4: seen[id] = try r.readString()
            case 6: seen[id] = "\(try r.boolValue(type))"
            case 300: seen[id] = "\(try r.readI64())"
            default: try r.skip(type)
            }
        }
        XCTAssertEqual(seen, [1: "-7", 4: "héllo", 6: "true", 300: "-123456789012"])
        XCTAssertEqual(r.remaining, 0)
    }

    func testSchemaElementWithLogicalType() throws {
        var w = ThriftTestWriter()
        w.i32(1, 2)       // INT64
        w.i32(3, 1)       // OPTIONAL
        w.string(4, "ts")
        w.beginStruct(10) // LogicalType
        w.beginStruct(8)  // TIMESTAMP
        w.bool(1, true)
        w.beginStruct(2); w.beginStruct(3); w.endStruct(); w.endStruct()  // unit NANOS
        w.endStruct()
        w.endStruct()
        w.stop()
        var r = ThriftCompactReader(w.bytes)
        let e = try SchemaElement(from: &r)
        XCTAssertEqual(e.name, "ts")
        XCTAssertEqual(e.type, .int64)
        XCTAssertEqual(e.repetition, .optional)
        XCTAssertEqual(e.logicalType, .timestamp(unit: .nanos, utc: true))
        let column = try ParquetColumn(index: 0, element: e)
        XCTAssertEqual(column.field.type, .timestamp)
        XCTAssertEqual(column.conversion, .divide(1000))
    }

    func testDeepNestingIsAnErrorNotACrash() {
        // A struct field holding a struct field holding … a million deep.
        let bytes = [UInt8](repeating: 0x1C, count: 1_000_000)
        var r = ThriftCompactReader(bytes)
        XCTAssertThrowsError(try r.skip(.structure)) { error in
            XCTAssertTrue("\(error)".contains("nested deeper"), "\(error)")
        }
        var f = ThriftCompactReader(bytes)
        XCTAssertThrowsError(try FileMetaData(from: &f))
        // Lists of lists, too.
        let lists = [UInt8](repeating: 0x19, count: 100_000)
        var l = ThriftCompactReader(lists)
        XCTAssertThrowsError(try l.skip(.list))
    }

    func testLengthsAreCheckedAgainstTheBuffer() {
        // A binary claiming 1 GB.
        var w = ThriftTestWriter()
        w.field(4, 8); w.varint(1 << 30); w.bytes += [1, 2, 3]
        var r = ThriftCompactReader(w.bytes)
        XCTAssertThrowsError(try r.readStruct { r, _, type in try r.skip(type) })
        // A list claiming 2^40 elements.
        var l = ThriftTestWriter()
        l.list(2, elementType: 12, count: 1 << 40)
        var lr = ThriftCompactReader(l.bytes)
        XCTAssertThrowsError(try FileMetaData(from: &lr)) { error in
            XCTAssertTrue("\(error)".contains("list of"), "\(error)")
        }
        // A varint that never ends, and one past 64 bits.
        var v = ThriftCompactReader([UInt8](repeating: 0xFF, count: 20))
        XCTAssertThrowsError(try v.readVarint())
        var e = ThriftCompactReader([0x80])
        XCTAssertThrowsError(try e.readVarint())
        // An i32 field holding a 64-bit value.
        var big = ThriftTestWriter(); big.zigzag(1 << 40)
        var b = ThriftCompactReader(big.bytes)
        XCTAssertThrowsError(try b.readI32())
    }

    func testTruncatedStructsThrow() throws {
        var w = ThriftTestWriter()
        w.i32(1, 5); w.string(4, "abc"); w.i64(5, 99); w.stop()
        for cut in 0..<w.bytes.count {
            var r = ThriftCompactReader(Array(w.bytes[0..<cut]))
            XCTAssertThrowsError(try SchemaElement(from: &r), "cut at \(cut)")
        }
        var full = ThriftCompactReader(w.bytes)
        XCTAssertEqual(try SchemaElement(from: &full).name, "abc")
    }
}
