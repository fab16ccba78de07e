import XCTest
@testable import Storage

/// Concatenating dictionary-encoded parts: parts with different dictionaries come out as one merged dictionary when
/// the entries are few, with every row's value (and NULL) unchanged, and byte-distinct strings kept distinct.
final class ColumnConcatenationTests: XCTestCase {
    func dictionaryPart(_ dictionary: [String], _ codes: [Int32], nulls: Set<Int> = []) -> Column {
        let validity: [UInt8]? = nulls.isEmpty ? nil : codes.indices.map { nulls.contains($0) ? 0 : 1 }
        return Column(type: .varchar, data: .dictionary(codes: codes, dictionary: StringArray(dictionary)), validity: validity)
    }

    func values(_ c: Column) -> [Value] { (0..<c.count).map { c.value(at: $0) } }

    func testDifferentDictionariesMergeIntoOne() {
        // "é" precomposed and decomposed are equal as Swift Strings but different bytes: they must stay two entries.
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let a = dictionaryPart(["x", composed, "y"], Array(repeating: [0, 1, 2, 1], count: 8).flatMap { $0 }, nulls: [3])
        let b = dictionaryPart([decomposed, "x"], Array(repeating: [1, 0, 0, 1], count: 8).flatMap { $0 })
        let merged = Column.concatenate([a, b], type: .varchar)
        guard case let .dictionary(codes, dictionary) = merged.data else { return XCTFail("expected a dictionary column, got \(merged.data)") }
        XCTAssertEqual(dictionary.count, 4)
        XCTAssertEqual(values(merged), values(a) + values(b))
        XCTAssertNotEqual(codes[1], codes[33], "row 1 (composed) and row 33 (decomposed) must keep different entries")
        XCTAssertEqual(Array(dictionary.bytes[dictionary.offsets[Int(codes[33])] ..< dictionary.offsets[Int(codes[33]) + 1]]), Array(decomposed.utf8))
        XCTAssertEqual(merged.validity?[3], 0)
    }

    func testManyEntriesFlattenToStrings() {
        // As many entries as rows: merging would not pay, the result is plain strings with the same values.
        let a = dictionaryPart(["a", "b", "c"], [0, 1, 2]), b = dictionaryPart(["d", "a"], [0, 1])
        let out = Column.concatenate([a, b], type: .varchar)
        guard case .string = out.data else { return XCTFail("expected plain strings, got \(out.data)") }
        XCTAssertEqual(values(out), values(a) + values(b))
    }
}
