import Foundation
import Storage

/// Draws bar, line and stacked-area charts as inline SVG, with interval bands (line) or error bars (bar) when
/// the chart names `lower` and `upper` columns. Series come from several `y` columns or a `series` column.
struct SVGChart {
    enum Kind: String { case bar, line, area }

    struct Series {
        var name: String
        /// (x position key, y, lower, upper)
        var points: [(x: Double, label: String, y: Double, lower: Double?, upper: Double?)]
    }

    var kind: Kind
    var width = 620.0
    var height = 260.0
    static let palette = ["#2f6fb0", "#e07b39", "#3a9e5c", "#c23b4e", "#8a63b8", "#8c6d46", "#d66bae", "#6b7b8c", "#b5a437", "#2aa3b5"]

    /// Builds the series from `data` with the chart's options (`x`, `y`, `series`, `lower`, `upper`).
    static func series(_ data: QueryData, options: [String: String], query: String, numericX: Bool) throws -> [Series] {
        guard let xName = options["x"] else { throw DashboardError("chart needs x=COLUMN") }
        let x = try data.index(xName, query: query)
        let yNames = (options["y"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !yNames.isEmpty else { throw DashboardError("chart needs y=COLUMN[,COLUMN…]") }
        let ys = try yNames.map { try data.index($0, query: query) }
        let lower = try options["lower"].map { try data.index($0, query: query) }
        let upper = try options["upper"].map { try data.index($0, query: query) }
        let seriesColumn = try options["series"].map { try data.index($0, query: query) }
        var order: [String] = []
        var bySeries: [String: Series] = [:]
        var ordinal: [String: Double] = [:]
        for row in data.rows {
            let label = HTML.cell(row[x])
            let xv: Double
            if numericX, let n = Self.numeric(row[x]) { xv = n } else {
                if ordinal[label] == nil { ordinal[label] = Double(ordinal.count) }
                xv = ordinal[label] ?? 0
            }
            for (k, y) in ys.enumerated() {
                let name = seriesColumn.map { HTML.cell(row[$0]) } ?? yNames[k]
                if bySeries[name] == nil { order.append(name); bySeries[name] = Series(name: name, points: []) }
                guard let yv = row[y].doubleValue else { continue }
                bySeries[name]?.points.append((xv, label, yv, lower.flatMap { row[$0].doubleValue }, upper.flatMap { row[$0].doubleValue }))
            }
        }
        return order.compactMap { bySeries[$0] }
    }

    /// Position of a value on a numeric axis: numbers, days for dates, microseconds for timestamps.
    static func numeric(_ v: Value) -> Double? {
        switch v {
        case let .date(d): return Double(d)
        case let .timestamp(t), let .timestampTZ(t): return Double(t)
        default: return v.doubleValue
        }
    }

    func render(_ series: [Series], title: String?) -> String {
        let left = 64.0, right = 14.0, top = series.count > 1 ? 34.0 : 14.0, bottom = 46.0
        let plotW = width - left - right, plotH = height - top - bottom
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" font-size=\"11\" font-family=\"system-ui,sans-serif\">"
        if let title { svg += "<title>\(HTML.escape(title))</title>" }
        let all = series.flatMap(\.points)
        guard !all.isEmpty else {
            return svg + "<text x=\"\(Int(width / 2))\" y=\"\(Int(height / 2))\" text-anchor=\"middle\" fill=\"#52606d\">no rows</text></svg>"
        }
        // x positions: distinct keys in order
        let xs = Array(Set(all.map(\.x))).sorted()
        var labels: [Double: String] = [:]
        for p in all where labels[p.x] == nil { labels[p.x] = p.label }
        // y range
        var yMin = 0.0, yMax = 0.0
        if kind == .area {
            var totals: [Double: Double] = [:]
            for p in all { totals[p.x, default: 0] += p.y }
            yMax = totals.values.max() ?? 0
            yMin = min(0, totals.values.min() ?? 0)
        } else {
            for p in all {
                yMax = max(yMax, p.upper ?? p.y, p.y)
                yMin = min(yMin, p.lower ?? p.y, p.y)
            }
        }
        if yMax == yMin { yMax = yMin + 1 }
        let ticks = Self.ticks(yMin, yMax)
        yMin = min(yMin, ticks.first ?? yMin); yMax = max(yMax, ticks.last ?? yMax)
        func py(_ v: Double) -> Double { top + plotH - (v - yMin) / (yMax - yMin) * plotH }
        let band = kind == .bar ? plotW / Double(max(xs.count, 1)) : 0
        let xLo = xs.first ?? 0, xHi = xs.last ?? 1
        func px(_ x: Double) -> Double {
            if kind == .bar { return left + band * (Double(xs.firstIndex(of: x) ?? 0) + 0.5) }
            return xHi == xLo ? left + plotW / 2 : left + (x - xLo) / (xHi - xLo) * plotW
        }
        // grid and y labels
        for t in ticks {
            let y = py(t)
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#e4e8ee\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\" fill=\"#52606d\">\(HTML.compact(t))</text>"
        }
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(py(max(yMin, 0))))\" y2=\"\(f(py(max(yMin, 0))))\" stroke=\"#9aa5b1\"/>"
        // x labels: left to right, each at least `gap` pixels after the previous one
        let gap = kind == .bar ? 78.0 : 96.0
        var lastLabel = -Double.infinity
        for x in xs where px(x) - lastLabel >= gap {
            lastLabel = px(x)
            let text = labels[x].map { String($0.prefix(14)) } ?? ""
            svg += "<text x=\"\(f(px(x)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\" fill=\"#52606d\">\(HTML.escape(text))</text>"
        }
        switch kind {
        case .bar: svg += bars(series, xs: xs, band: band, px: px, py: py, base: py(max(yMin, 0)))
        case .line: svg += lines(series, px: px, py: py)
        case .area: svg += areas(series, xs: xs, px: px, py: py)
        }
        if series.count > 1 {
            var lx = left
            for (i, s) in series.enumerated() {
                svg += "<rect x=\"\(f(lx))\" y=\"8\" width=\"10\" height=\"10\" fill=\"\(Self.palette[i % Self.palette.count])\"/>"
                svg += "<text x=\"\(f(lx + 14))\" y=\"17\" fill=\"#1f2933\">\(HTML.escape(s.name))</text>"
                lx += 22 + Double(min(s.name.count, 18)) * 6.2
                if lx > width - 60 { break }
            }
        }
        return svg + "</svg>"
    }

    private func bars(_ series: [Series], xs: [Double], band: Double, px: (Double) -> Double, py: (Double) -> Double, base: Double) -> String {
        var out = ""
        let n = Double(series.count)
        let w = max(1, band * 0.8 / n)
        for (i, s) in series.enumerated() {
            let color = Self.palette[i % Self.palette.count]
            for p in s.points {
                let x = px(p.x) - band * 0.4 + w * Double(i)
                let y = py(p.y)
                out += "<rect x=\"\(f(x))\" y=\"\(f(min(y, base)))\" width=\"\(f(w))\" height=\"\(f(abs(base - y)))\" fill=\"\(color)\"><title>\(HTML.escape(p.label)): \(HTML.number(p.y))</title></rect>"
                if let lo = p.lower, let hi = p.upper {
                    let cx = x + w / 2
                    out += "<line x1=\"\(f(cx))\" x2=\"\(f(cx))\" y1=\"\(f(py(lo)))\" y2=\"\(f(py(hi)))\" stroke=\"#1f2933\" stroke-width=\"1.5\"/>"
                    out += "<line x1=\"\(f(cx - 4))\" x2=\"\(f(cx + 4))\" y1=\"\(f(py(lo)))\" y2=\"\(f(py(lo)))\" stroke=\"#1f2933\"/>"
                    out += "<line x1=\"\(f(cx - 4))\" x2=\"\(f(cx + 4))\" y1=\"\(f(py(hi)))\" y2=\"\(f(py(hi)))\" stroke=\"#1f2933\"/>"
                }
            }
        }
        return out
    }

    private func lines(_ series: [Series], px: (Double) -> Double, py: (Double) -> Double) -> String {
        var out = ""
        for (i, s) in series.enumerated() {
            let color = Self.palette[i % Self.palette.count]
            let points = s.points.sorted { $0.x < $1.x }
            let banded = points.filter { $0.lower != nil && $0.upper != nil }
            if banded.count > 1 {
                let upper = banded.map { "\(f(px($0.x))),\(f(py($0.upper ?? $0.y)))" }
                let lower = banded.reversed().map { "\(f(px($0.x))),\(f(py($0.lower ?? $0.y)))" }
                out += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>"
            }
            let path = points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"><title>\(HTML.escape(s.name))</title></polyline>"
        }
        return out
    }

    private func areas(_ series: [Series], xs: [Double], px: (Double) -> Double, py: (Double) -> Double) -> String {
        var out = ""
        var floor = [Double](repeating: 0, count: xs.count)
        let index = Dictionary(uniqueKeysWithValues: xs.enumerated().map { ($1, $0) })
        for (i, s) in series.enumerated() {
            var values = [Double](repeating: 0, count: xs.count)
            for p in s.points { if let k = index[p.x] { values[k] += p.y } }
            let ceiling = zip(floor, values).map { $0 + $1 }
            let top = xs.indices.map { "\(f(px(xs[$0]))),\(f(py(ceiling[$0])))" }
            let bottom = xs.indices.reversed().map { "\(f(px(xs[$0]))),\(f(py(floor[$0])))" }
            out += "<polygon points=\"\((top + bottom).joined(separator: " "))\" fill=\"\(Self.palette[i % Self.palette.count])\" fill-opacity=\"0.85\" stroke=\"#fff\" stroke-width=\"0.5\"><title>\(HTML.escape(s.name))</title></polygon>"
            floor = ceiling
        }
        return out
    }

    /// About five round tick values covering [lo, hi].
    static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
        let span = hi - lo
        guard span > 0, span.isFinite else { return [lo] }
        let raw = span / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var t = floor(lo / step) * step
        var out: [Double] = []
        while t <= hi + step * 0.999, out.count < 12 { out.append(t); t += step }
        return out
    }

    private func f(_ d: Double) -> String { String(format: "%.1f", d.isFinite ? d : 0) }
}
