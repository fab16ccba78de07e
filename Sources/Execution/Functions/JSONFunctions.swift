import Storage

/// Trino's and DuckDB's JSON functions over JSON held in VARCHAR (Tarn has no JSON type yet): `json_extract(j, path)`
/// (the value as canonical JSON text), `json_extract_scalar(j, path)` (a scalar's text), DuckDB's
/// `json_extract_string` (`->>`: a scalar's text, or an object or array as JSON), `json_parse` / `json_format`
/// (validated, canonical text), `json_array_length`, `json_array_get(j, index)`, `json_size(j, path)`,
/// `is_json_scalar`, `json_valid`. A path that leads nowhere gives NULL; text that is not JSON is an error saying so
/// (`json_valid` tells instead).
enum JSONFunctions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("json_extract", [Overload([.varchar, .varchar], .varchar) { a, n, _ in
                try StringFunctions.rowwiseString(a, n) { s, _ in
                    let (doc, found) = try locate(s[0], s[1], function: "json_extract")
                    return found.map(doc.canonical)
                }
            }]),
            FunctionDefinition("json_extract_scalar", [Overload([.varchar, .varchar], .varchar) { a, n, _ in
                try StringFunctions.rowwiseString(a, n) { s, _ in
                    let (doc, found) = try locate(s[0], s[1], function: "json_extract_scalar")
                    return found.flatMap(doc.scalarText)
                }
            }]),
            FunctionDefinition("json_extract_string", [Overload([.varchar, .varchar], .varchar) { a, n, _ in
                try StringFunctions.rowwiseString(a, n) { s, _ in
                    let (doc, found) = try locate(s[0], s[1], function: "json_extract_string")
                    guard let found, found.kind != .null else { return nil }
                    return doc.scalarText(found) ?? doc.canonical(found)
                }
            }]),
            FunctionDefinition("json_parse", [Overload([.varchar], .varchar) { a, n, _ in
                try StringFunctions.rowwiseString(a, n) { s, _ in let (doc, root) = try parse(s[0], function: "json_parse"); return doc.canonical(root) }
            }]),
            FunctionDefinition("json_format", [Overload([.varchar], .varchar) { a, n, _ in
                try StringFunctions.rowwiseString(a, n) { s, _ in let (doc, root) = try parse(s[0], function: "json_format"); return doc.canonical(root) }
            }]),
            FunctionDefinition("json_array_get", [Overload([.varchar, .bigint], .varchar) { a, n, _ in
                try StringFunctions.rowwiseString(a, n) { s, ints in
                    let (doc, root) = try parse(s[0], function: "json_array_get")
                    return doc.find([.index(Int(clamping: ints[1]))], in: root).map(doc.canonical)
                }
            }]),
            FunctionDefinition("json_array_length", [Overload([.varchar], .bigint) { a, n, _ in
                try RowwiseKernels.integers(a, n) { x, i in
                    let (doc, root) = try parse(x.string(0, i), function: "json_array_length")
                    return root.kind == .array ? Int64(doc.elements(of: root).count) : nil
                }
            }]),
            FunctionDefinition("json_size", [Overload([.varchar, .varchar], .bigint) { a, n, _ in
                try RowwiseKernels.integers(a, n) { x, i in
                    let (doc, found) = try locate(x.string(0, i), x.string(1, i), function: "json_size")
                    guard let found else { return nil }
                    switch found.kind {
                    case .object: return Int64(doc.members(of: found).count)
                    case .array: return Int64(doc.elements(of: found).count)
                    default: return 0
                    }
                }
            }]),
            FunctionDefinition("is_json_scalar", [Overload([.varchar], .boolean) { a, n, _ in
                try RowwiseKernels.booleans(a, n) { x, i in
                    let (_, root) = try parse(x.string(0, i), function: "is_json_scalar")
                    return root.kind != .object && root.kind != .array
                }
            }]),
            FunctionDefinition("json_valid", [Overload([.varchar], .boolean) { a, n, _ in
                try RowwiseKernels.booleans(a, n) { x, i in JSONDocument(x.string(0, i)).root() != nil }
            }]),
        ]
    }

    /// The document's root; an error naming the function when the text is not JSON.
    static func parse(_ text: String, function: String) throws -> (JSONDocument, JSONDocument.Span) {
        let doc = JSONDocument(text)
        guard let root = doc.root() else {
            throw TarnError(.execution, "\(function): not valid JSON: '\(text.prefix(80))\(text.count > 80 ? "…" : "")'")
        }
        return (doc, root)
    }

    /// The value at `path` (nil when the path leads nowhere); errors for invalid JSON or an invalid path.
    static func locate(_ text: String, _ path: String, function: String) throws -> (JSONDocument, JSONDocument.Span?) {
        guard let steps = JSONDocument.path(path) else {
            throw TarnError(.execution, "\(function): invalid JSON path '\(path)' (expected $, .name, [\"name\"] or [index] steps)")
        }
        let (doc, root) = try parse(text, function: function)
        return (doc, doc.find(steps, in: root))
    }
}
