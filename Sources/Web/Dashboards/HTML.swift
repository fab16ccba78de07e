import Foundation
import Storage

/// HTML text helpers: escaping, number formats and the page frame (inline CSS, no scripts, nothing fetched).
enum HTML {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func urlEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// Text of a cell: NULL as an empty cell, doubles with up to 4 significant decimals.
    static func cell(_ v: Value) -> String {
        switch v {
        case .null: return ""
        case let .double(d): return number(d, decimals: abs(d) < 10 ? 4 : 2)
        default: return v.description
        }
    }

    static func number(_ d: Double, decimals: Int = 2, minimumDecimals: Int = 0) -> String {
        guard d.isFinite else { return d.isNaN ? "NaN" : (d > 0 ? "∞" : "-∞") }
        // "%.*f", then trailing zeros cut down to `minimumDecimals`, then thousands separators (no Formatter per cell).
        var text = String(format: "%.*f", decimals, abs(d))
        if let dot = text.firstIndex(of: ".") {
            while text.hasSuffix("0"), text.distance(from: dot, to: text.endIndex) - 1 > minimumDecimals { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        let integerEnd = text.firstIndex(of: ".") ?? text.endIndex
        var integer = String(text[..<integerEnd])
        var grouped = ""
        while integer.count > 3 {
            grouped = "," + integer.suffix(3) + grouped
            integer.removeLast(3)
        }
        let sign = d < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : ""
        return sign + integer + grouped + text[integerEnd...]
    }

    /// A tile's value in `format`: number (default), currency, percent (of a fraction), integer.
    static func formatted(_ v: Value, format: String?) -> String {
        guard let d = v.doubleValue else { return v.isNull ? "–" : v.description }
        switch format?.lowercased() {
        case "currency": return "$" + number((d * 100).rounded() / 100, decimals: 2, minimumDecimals: 2)
        case "percent": return number(d * 100, decimals: 2) + "%"
        case "integer": return number(d.rounded(), decimals: 0)
        default: return number(d, decimals: abs(d) < 10 ? 4 : 2)
        }
    }

    /// Short axis label: 1.2M, 34k, 0.05.
    static func compact(_ d: Double) -> String {
        let a = abs(d)
        if a >= 1e9 { return trim(d / 1e9) + "B" }
        if a >= 1e6 { return trim(d / 1e6) + "M" }
        if a >= 1e3 { return trim(d / 1e3) + "k" }
        if a == 0 { return "0" }
        if a < 0.01 { return String(format: "%.1e", d) }
        return trim(d)
    }

    private static func trim(_ d: Double) -> String {
        var s = String(format: "%.2f", d)
        while s.contains("."), s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static let style = """
    body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;color:#1f2933;background:#f7f8fa}
    header{background:#1f3a5f;color:#fff;padding:10px 24px;display:flex;gap:18px;align-items:center}
    header a{color:#dfe9f5;text-decoration:none;font-size:14px}header strong{font-size:16px;margin-right:12px}
    main{padding:16px 24px;max-width:1200px}
    h1{font-size:24px;margin:8px 0 12px}h2{font-size:18px;margin:22px 0 8px}h3{font-size:15px}
    .tile{display:inline-block;background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:10px 16px;margin:0 10px 10px 0;min-width:130px;vertical-align:top}
    .tile .label{font-size:12px;color:#52606d;text-transform:uppercase;letter-spacing:.04em}.tile .value{font-size:22px;font-weight:600;margin-top:4px}
    .chart{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:8px;margin:0 0 14px;display:inline-block;vertical-align:top}
    .chart h3{margin:2px 4px 6px}
    table.data{border-collapse:collapse;background:#fff;font-size:13px;margin:0 0 14px}
    table.data th,table.data td{border:1px solid #dde3ea;padding:3px 8px}table.data th{background:#eef2f6;text-align:left}
    table.data td.num{text-align:right;font-variant-numeric:tabular-nums}
    form.filters{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:10px;margin:0 0 14px;display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end}
    form.filters label{display:flex;flex-direction:column;font-size:12px;color:#52606d}
    form.filters select,form.filters input{font-size:14px;padding:3px;min-width:120px}
    .error{background:#fdecea;border:1px solid #f5c2bd;color:#8a1f11;padding:8px 12px;border-radius:6px;margin:0 0 12px;font-family:monospace;white-space:pre-wrap}
    .note{color:#52606d;font-size:12px}
    """

    static func page(title: String, body: String, nav: [(String, String)], footer: String = "") -> String {
        let links = nav.map { "<a href=\"\(escape($0.1))\">\(escape($0.0))</a>" }.joined()
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title)) · Tarn</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
        <style>\(style)</style></head>
        <body><header><strong>Tarn</strong>\(links)</header><main>
        \(body)
        <p class="note">\(footer)</p></main></body></html>
        """
    }
}
