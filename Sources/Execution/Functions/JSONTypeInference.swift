import Storage

/// The Tarn type of a JSON value, for `read_json(…, nested => true)`: objects are ROWs of their members (in order),
/// arrays ARRAYs of their elements' common type, numbers BIGINT or DOUBLE, strings VARCHAR, booleans BOOLEAN; a JSON
/// null or an empty array's element is `.null` until another record says more (`resolved` makes what stays VARCHAR).
public enum JSONTypeInference {
    public static func type(ofJSON text: String) -> DataType? {
        let document = JSONDocument(text)
        guard let root = document.root() else { return nil }
        return type(of: root, in: document)
    }

    private static func type(of span: JSONDocument.Span, in document: JSONDocument) -> DataType {
        switch span.kind {
        case .null: return .null
        case .boolean: return .boolean
        case .string: return .varchar
        case .number: return Int64(document.scalarText(span) ?? "") != nil ? .bigint : .double
        case .array: return .array(document.elements(of: span).reduce(DataType.null) { widen($0, type(of: $1, in: document)) })
        case .object:
            var fields: [RowField] = []
            for member in document.members(of: span) where !fields.contains(where: { $0.name.lowercased() == member.key.lowercased() }) {
                fields.append(RowField(name: member.key, type: type(of: member.value, in: document)))
            }
            return fields.isEmpty ? .varchar : .row(fields)
        }
    }

    /// The type holding values of both: rows merge their fields by name (a field one lacks is NULL there), arrays
    /// their elements; numbers widen to DOUBLE; anything else mixed is VARCHAR (the value's JSON text).
    public static func widen(_ a: DataType, _ b: DataType) -> DataType {
        if a == b || b == .null { return a }
        if a == .null { return b }
        switch (a, b) {
        case let (.row(x), .row(y)):
            var fields = x
            for f in y {
                if let i = fields.firstIndex(where: { $0.name.lowercased() == f.name.lowercased() }) {
                    fields[i].type = widen(fields[i].type, f.type)
                } else {
                    fields.append(f)
                }
            }
            return .row(fields)
        case let (.array(x), .array(y)): return .array(widen(x, y))
        case (.bigint, .double), (.double, .bigint): return .double
        default: return .varchar
        }
    }

    /// `.null` left anywhere in a type (only NULLs or empty arrays seen) becomes VARCHAR.
    public static func resolved(_ t: DataType) -> DataType {
        switch t {
        case .null: return .varchar
        case let .array(e): return .array(resolved(e))
        case let .row(fields): return .row(fields.map { RowField(name: $0.name, type: resolved($0.type)) })
        default: return t
        }
    }
}
