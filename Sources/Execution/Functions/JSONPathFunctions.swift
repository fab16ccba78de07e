import Storage

/// The SQL/JSON path functions as Trino and DuckDB spell them, over JSON held in VARCHAR: `json_value(j, path)`
/// (a scalar's text; NULL for objects, arrays and JSON null), `json_query(j, path)` (the value as JSON text),
/// `json_exists(j, path)`, and Trino's `json_array_contains(j, value)`. A path may start with Trino's `lax` or
/// `strict` mode; both behave as lax with `NULL ON ERROR`, the default, for the simple member and index paths Tarn
/// supports (`$.a.b`, `$.a[0]`, `$["a b"]`).
enum JSONPathFunctions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("json_value", [Overload([.varchar, .varchar], .varchar) { a, n, _ in
                try RowwiseKernels.strings(a, n) { x, i in
                    let (doc, found) = try locate(x.string(0, i), x.string(1, i), "json_value")
                    return found.flatMap(doc.scalarText)
                }
            }]),
            FunctionDefinition("json_query", [Overload([.varchar, .varchar], .varchar) { a, n, _ in
                try RowwiseKernels.strings(a, n) { x, i in
                    let (doc, found) = try locate(x.string(0, i), x.string(1, i), "json_query")
                    return found.map(doc.canonical)
                }
            }]),
            FunctionDefinition("json_exists", [Overload([.varchar, .varchar], .boolean) { a, n, _ in
                try RowwiseKernels.booleans(a, n) { x, i in try locate(x.string(0, i), x.string(1, i), "json_exists").1 != nil }
            }]),
            FunctionDefinition("json_array_contains", [
                Overload([.varchar, .boolean], .boolean) { a, n, _ in
                    try contains(a, n) { doc, e, x, i in e.kind == .boolean && doc.scalarText(e) == (x.bool(1, i) ? "true" : "false") }
                },
                Overload([.varchar, .bigint], .boolean) { a, n, _ in
                    try contains(a, n) { doc, e, x, i in e.kind == .number && doc.scalarText(e).flatMap { Int64($0) } == x.int(1, i) }
                },
                Overload([.varchar, .double], .boolean) { a, n, _ in
                    try contains(a, n) { doc, e, x, i in e.kind == .number && doc.scalarText(e).flatMap { Double($0) } == x.double(1, i) }
                },
                Overload([.varchar, .varchar], .boolean) { a, n, _ in
                    try contains(a, n) { doc, e, x, i in e.kind == .string && doc.scalarText(e) == x.string(1, i) }
                },
            ]),
        ]
    }

    /// The value at an SQL/JSON path (its `lax` / `strict` mode word removed).
    static func locate(_ text: String, _ path: String, _ function: String) throws -> (JSONDocument, JSONDocument.Span?) {
        var p = Substring(path).drop { $0 == " " }
        for mode in ["lax ", "strict "] where p.lowercased().hasPrefix(mode) { p = p.dropFirst(mode.count).drop { $0 == " " } }
        return try JSONFunctions.locate(text, String(p), function: function)
    }

    /// Whether the JSON array in argument 0 has an element `matches` accepts; NULL when the text is not an array.
    private static func contains(_ a: [Column], _ n: Int,
                                 _ matches: @escaping (JSONDocument, JSONDocument.Span, RowwiseKernels.Arguments, Int) -> Bool) throws -> Column {
        try RowwiseKernels.booleans(a, n) { x, i in
            let (doc, root) = try JSONFunctions.parse(x.string(0, i), function: "json_array_contains")
            guard root.kind == .array else { return nil }
            return doc.elements(of: root).contains { matches(doc, $0, x, i) }
        }
    }
}
