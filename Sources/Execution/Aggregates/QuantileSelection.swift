/// Exact quantiles without sorting: quickselect moves the k-th smallest value into place in O(n) expected time
/// (median-of-three pivots, Hoare partitioning, which stays linear on many equal values), falling back to a sort of
/// the remaining range after 2·log2(n) rounds so adversarial inputs stay O(n log n). Order: numbers ascending, NaN
/// above every number (as `ORDER BY`).
enum QuantileSelection {
    @inline(__always)
    static func less(_ a: Double, _ b: Double) -> Bool { a < b || (!a.isNaN && b.isNaN) }

    /// The value at `position` (0…count−1, fractional between ranks) of `values` in ascending order, interpolating
    /// linearly between the two nearest ranks. Reorders `values`. Nil when empty.
    static func interpolated(_ values: inout [Double], at fraction: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let position = fraction * Double(values.count - 1)
        let lo = Int(position.rounded(.down)), hi = Int(position.rounded(.up))
        return values.withUnsafeMutableBufferPointer { v -> Double in
            select(v, lo)
            let low = v[lo]
            guard hi > lo else { return low }
            // Everything after `lo` is at least v[lo]: the next rank is their minimum.
            var high = v[hi]
            for i in hi ..< v.count where less(v[i], high) { high = v[i] }
            return low + (position - Double(lo)) * (high - low)
        }
    }

    /// Reorders `v` so `v[k]` is the k-th smallest, every value before it no larger and every value after no smaller.
    static func select(_ v: UnsafeMutableBufferPointer<Double>, _ k: Int) {
        var lo = 0, hi = v.count - 1
        var rounds = 2 * (Int.bitWidth - v.count.leadingZeroBitCount)
        while hi > lo {
            if rounds == 0 {
                var rest = UnsafeMutableBufferPointer(rebasing: v[lo ... hi])
                rest.sort(by: less)
                return
            }
            rounds -= 1
            let mid = lo + (hi - lo) / 2
            if less(v[mid], v[lo]) { v.swapAt(mid, lo) }
            if less(v[hi], v[lo]) { v.swapAt(hi, lo) }
            if less(v[hi], v[mid]) { v.swapAt(hi, mid) }
            let pivot = v[mid]
            var i = lo, j = hi
            while i <= j {
                while less(v[i], pivot) { i += 1 }
                while less(pivot, v[j]) { j -= 1 }
                if i <= j {
                    v.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // [lo, j] ≤ pivot, (j, i) == pivot, [i, hi] ≥ pivot.
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }
}
