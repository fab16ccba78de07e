import Storage

/// JSON output: an array of objects (`json`) or one object per line (`ndjson`).
/// Integers and decimals are JSON numbers, doubles too (NaN/±Infinity become null), booleans are
/// booleans, NULL is null; dates, timestamps and strings are escaped JSON strings.
struct JSONFormatter {
    var lineDelimited = false

    func render<Out: TextOutputStream>(_ result: ResultSet, to out: inout Out) throws {
        let keys = result.columns.map { Self.quoted($0.name) + ":" }
        var first = true
        if !lineDelimited { out.write("[") }
        try result.forEachRow { row in
            var object = "{"
            for (i, value) in row.enumerated() {
                if i > 0 { object += "," }
                object += keys[i] + Self.literal(value)
            }
            object += "}"
            if lineDelimited {
                out.write(object + "\n")
            } else {
                out.write((first ? "" : ",\n") + object)
            }
            first = false
        }
        if !lineDelimited { out.write("]\n") }
    }

    static func literal(_ value: Value) -> String { JSONText.literal(value) }

    static func quoted(_ s: String) -> String { JSONText.quoted(s) }
}
