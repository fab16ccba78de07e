import XCTest
@testable import Execution

/// The KLL sketch behind approx_percentile: exact for small inputs, within 1% of the asked rank for large ones
/// (checked against the sorted input), bounded in size, and mergeable.
final class KLLSketchTests: XCTestCase {
    /// |rank(answer) / n − q|, taking ties into account (any rank the answer occupies counts).
    private func rankError(_ answer: Double, _ sorted: [Double], _ q: Double) -> Double {
        let below = sorted.partitioningIndex(where: { $0 >= answer }), through = sorted.partitioningIndex(where: { $0 > answer })
        let target = q * Double(sorted.count - 1)
        if Double(below) <= target, target <= Double(through - 1) { return 0 }
        return min(abs(Double(below) - target), abs(Double(through - 1) - target)) / Double(sorted.count)
    }

    private func inputs(_ n: Int, seed: UInt64) -> [String: [Double]] {
        var s = seed
        func next() -> Double { s = s &* 6364136223846793005 &+ 1442695040888963407; return Double(s >> 11) / Double(1 << 53) }
        return ["uniform": (0..<n).map { _ in next() },
                "skewed": (0..<n).map { _ in -log(1 - next()) * 100 },
                "ascending": (0..<n).map(Double.init),
                "descending": (0..<n).map { Double(n - $0) },
                "few distinct": (0..<n).map { _ in (next() * 7).rounded(.down) }]
    }

    func testSmallInputsAreExact() {
        for n in [1, 2, 7, 100, KLLSketch.k - 1] {
            let values = (0..<n).map { Double(($0 * 37) % 101) }
            var sketch = KLLSketch()
            values.forEach { sketch.insert($0) }
            let sorted = values.sorted()
            for q in [0, 0.1, 0.5, 0.9, 1] {
                XCTAssertEqual(sketch.quantile(q), sorted[Int((q * Double(n - 1)).rounded())], "n=\(n) q=\(q)")
            }
        }
        XCTAssertNil(KLLSketch().quantile(0.5))
    }

    func testLargeInputsStayWithinOnePercentOfRankInBoundedSpace() {
        for (name, values) in inputs(300_000, seed: 7) {
            var sketch = KLLSketch()
            values.forEach { sketch.insert($0) }
            let sorted = values.sorted()
            let retained = sketch.levels.reduce(0) { $0 + $1.count }
            XCTAssertLessThan(retained, 4 * KLLSketch.k, "\(name): \(retained) items retained")
            for q in [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999] {
                guard let answer = sketch.quantile(q) else { return XCTFail("no answer") }
                XCTAssertLessThanOrEqual(rankError(answer, sorted, q), 0.01, "\(name) q=\(q)")
            }
        }
    }

    func testMergedSketchesKeepTheBound() {
        let values = inputs(200_000, seed: 11)["skewed"] ?? []
        var parts = [KLLSketch(), KLLSketch(), KLLSketch()]
        for (i, x) in values.enumerated() { parts[i % 3].insert(x) }
        var merged = parts[0]
        merged.merge(parts[1]); merged.merge(parts[2])
        XCTAssertEqual(merged.count, values.count)
        let sorted = values.sorted()
        for q in [0.05, 0.5, 0.95] {
            guard let answer = merged.quantile(q) else { return XCTFail("no answer") }
            XCTAssertLessThanOrEqual(rankError(answer, sorted, q), 0.01, "q=\(q)")
        }
    }
}

private extension Array where Element == Double {
    /// The first index whose element satisfies `belongs` (the array is sorted and `belongs` monotone).
    func partitioningIndex(where belongs: (Double) -> Bool) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if belongs(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
