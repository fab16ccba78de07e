import XCTest
@testable import Execution

/// Quickselect quantiles equal the sorted-array definition (position q·(n−1), linear between ranks) on random inputs
/// with many duplicates, NaNs, infinities and sorted / reversed runs. (An exact rank is returned as is: the old
/// `v[lo] + 0 · (v[hi] − v[lo])` gave NaN for an infinite minimum.)
final class QuantileSelectionTests: XCTestCase {
    func sorted(_ values: [Double], _ q: Double) -> Double {
        let s = values.sorted(by: QuantileSelection.less)
        let position = q * Double(s.count - 1)
        let lo = Int(position.rounded(.down)), hi = Int(position.rounded(.up))
        return hi == lo ? s[lo] : s[lo] + (position - Double(lo)) * (s[hi] - s[lo])
    }

    func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }

    func testSelectionEqualsSorting() {
        var generator = SeededGenerator(seed: 7)
        for round in 0 ..< 400 {
            let n = Int.random(in: 1 ... 300, using: &generator)
            let distinct = Int.random(in: 1 ... 50, using: &generator)
            var values = (0 ..< n).map { _ -> Double in
                switch Int.random(in: 0 ..< 40, using: &generator) {
                case 0: return .nan
                case 1: return .infinity
                case 2: return -.infinity
                default: return Double(Int.random(in: 0 ..< distinct, using: &generator)) / 4
                }
            }
            if round % 5 == 1 { values.sort(by: QuantileSelection.less) }
            if round % 5 == 2 { values.sort(by: QuantileSelection.less); values.reverse() }
            for q in [0, 0.1, 0.25, 0.5, 0.75, 0.99, 1] {
                var work = values
                let got = QuantileSelection.interpolated(&work, at: q)
                let want = sorted(values, q)
                XCTAssertTrue(got.map { same($0, want) } ?? false, "round \(round) n \(n) q \(q): \(String(describing: got)) vs \(want)")
            }
        }
        var empty: [Double] = []
        XCTAssertNil(QuantileSelection.interpolated(&empty, at: 0.5))
    }
}
