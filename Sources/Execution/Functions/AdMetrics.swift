import Foundation
import Storage

/// Advertising metrics and media-saturation curves, all over DOUBLE:
/// `safe_divide(a, b)` (NULL when b = 0), `ctr(clicks, impressions)`, `cpc(spend, clicks)`,
/// `cpm(spend, impressions)` = spend / impressions × 1000, `conversion_rate(conversions, clicks)` (each 0
/// when the denominator is 0), `hill(x, half_saturation, slope)` = xˢ / (xˢ + kˢ) and
/// `logistic_saturation(x, lambda)` = (1 − e^(−λx)) / (1 + e^(−λx)).
enum AdMetrics {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("safe_divide", [Overload([.double, .double], .double) { a, _, _ in
                let x = try ColumnKernels.doubles(a[0]), y = try ColumnKernels.doubles(a[1])
                let (v, m) = ColumnKernels.map2Optional(x, y, ColumnKernels.intersect(a[0].validity, a[1].validity), placeholder: 0.0) { p, q in
                    q == 0 ? nil : p / q
                }
                return Column(type: .double, data: .double(v), validity: m)
            }]),
            ratio("ctr", scale: 1),
            ratio("cpc", scale: 1),
            ratio("cpm", scale: 1000),
            ratio("conversion_rate", scale: 1),
            FunctionDefinition("hill", [Overload([.double, .double, .double], .double) { a, _, _ in
                let x = try ColumnKernels.doubles(a[0]), k = try ColumnKernels.doubles(a[1]), s = try ColumnKernels.doubles(a[2])
                let m = ColumnKernels.intersect([a[0].validity, a[1].validity, a[2].validity])
                let v = (0..<x.count).map { i -> Double in
                    if let m, m[i] == 0 { return 0 }
                    let xs = Foundation.pow(x[i], s[i]), ks = Foundation.pow(k[i], s[i])
                    return xs + ks == 0 ? 0 : xs / (xs + ks)
                }
                return Column(type: .double, data: .double(v), validity: m)
            }]),
            FunctionDefinition("logistic_saturation", [Overload([.double, .double], .double) { a, _, _ in
                let x = try ColumnKernels.doubles(a[0]), l = try ColumnKernels.doubles(a[1])
                let m = ColumnKernels.intersect(a[0].validity, a[1].validity)
                let v = ColumnKernels.map2(x, l, m, placeholder: 0.0) { x, l in
                    let e = Foundation.exp(-l * x)
                    return (1 - e) / (1 + e)
                }
                return Column(type: .double, data: .double(v), validity: m)
            }]),
        ]
    }

    /// numerator / denominator × scale, 0 when the denominator is 0.
    static func ratio(_ name: String, scale: Double) -> FunctionDefinition {
        FunctionDefinition(name, [Overload([.double, .double], .double) { a, _, _ in
            let x = try ColumnKernels.doubles(a[0]), y = try ColumnKernels.doubles(a[1])
            let m = ColumnKernels.intersect(a[0].validity, a[1].validity)
            return Column(type: .double, data: .double(ColumnKernels.map2(x, y, m, placeholder: 0.0) { p, q in q == 0 ? 0 : p / q * scale }), validity: m)
        }])
    }
}
