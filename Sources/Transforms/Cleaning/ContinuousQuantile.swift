/// `quantile_cont` as DuckDB, Trino's `approx_percentile`-free engines and PostgreSQL's `percentile_cont`
/// define it: position q·(n−1) in the sorted values, linear interpolation between the neighbours.
public enum ContinuousQuantile {
    /// The q-quantile of already sorted values; nil when there are none.
    public static func of(sorted values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let position = q * Double(values.count - 1)
        let lower = Int(position.rounded(.down)), upper = Int(position.rounded(.up))
        let lo = values[max(0, min(lower, values.count - 1))], hi = values[max(0, min(upper, values.count - 1))]
        return lo + (hi - lo) * (position - Double(lower))
    }

    /// The median (q = 0.5) of unsorted values.
    public static func median(_ values: [Double]) -> Double? { of(sorted: values.sorted(), 0.5) }
}
