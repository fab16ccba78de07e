import Storage

/// `CAST(text AS ARRAY(T))`: the text is a JSON array (Trino's `CAST(json AS ARRAY(…))` and the JSON arrays
/// `read_json` keeps as text) or DuckDB's list text (`'[1, 2, NULL]'::INT[]`, `[a, 'b c']`, what arrays print as). Elements become text (strings unescaped, nested arrays and objects
/// as their JSON) and are then cast to `T` like any text, so `ARRAY(ARRAY(BIGINT))` recurses. Text that is not a JSON
/// array, or an element that does not convert, fails the cast (TRY_CAST: NULL).
public enum ArrayCast {
    public static func fromText(_ column: Column, element: DataType, isTry: Bool, settings: SessionSettings) throws -> Column {
        let reader = try StringColumnReader(column)
        let n = column.count
        var texts = StringArray()
        var textValidity: [UInt8] = []
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(n + 1)
        var validity = [UInt8](repeating: 1, count: n)
        var parents: [Int32] = []
        for row in 0 ..< n {
            defer { offsets.append(Int32(textValidity.count)) }
            if column.isNull(row) { validity[row] = 0; continue }
            let text = reader.string(row)
            guard let elements = jsonElements(text) ?? listTextElements(text) else {
                if isTry { validity[row] = 0; continue }
                throw TarnError(.execution, "cannot cast '\(text.prefix(60))' to \(DataType.array(element)) (not a JSON array or [a, b, …] list)")
            }
            for e in elements {
                parents.append(Int32(row))
                if let e { texts.append(e); textValidity.append(1) } else { texts.appendEmpty(); textValidity.append(0) }
            }
        }
        let elementTexts = Column(type: .varchar, data: .string(texts), validity: ColumnKernels.normalized(textValidity))
        var child = try CastKernels.cast(elementTexts, to: element, isTry: true, settings: settings)
        // An element that does not convert fails the whole value: CAST raises, TRY_CAST gives NULL for its row.
        for k in 0 ..< child.count where child.isNull(k) && !elementTexts.isNull(k) {
            if !isTry {
                throw TarnError(.execution, "cannot cast '\(texts.string(at: k))' to \(element) (an element of \(DataType.array(element)))")
            }
            validity[Int(parents[k])] = 0
        }
        if validity.contains(0) {
            // Rows turned NULL keep no elements (the invariant of list columns).
            var picks: [Int32] = []
            var kept: [Int32] = [0]
            for row in 0 ..< n {
                if validity[row] != 0 { for k in offsets[row] ..< offsets[row + 1] { picks.append(k) } }
                kept.append(Int32(picks.count))
            }
            child = child.gather(picks)
            offsets = kept
        }
        return Column(type: .array(element), data: .list(offsets: offsets, child: child), validity: ColumnKernels.normalized(validity))
    }

    /// Whether `text` converts to an ARRAY of `element` (what a load checks per field before keeping it).
    public static func converts(_ text: String, to element: DataType, settings: SessionSettings) -> Bool {
        var strings = StringArray()
        strings.append(text)
        let column = Column(type: .varchar, data: .string(strings))
        guard let result = try? fromText(column, element: element, isTry: true, settings: settings) else { return false }
        return !result.isNull(0)
    }

    /// A JSON array's elements as text: strings unescaped, nested arrays and objects as JSON, `null` as nil.
    static func jsonElements(_ text: String) -> [String?]? {
        let document = JSONDocument(text)
        guard let root = document.root(), root.kind == .array else { return nil }
        return document.elements(of: root).map { span -> String? in
            switch span.kind {
            case .null: return nil
            case .string, .number, .boolean: return document.scalarText(span) ?? ""
            case .array, .object: return document.canonical(span)
            }
        }
    }

    /// DuckDB's list text: `[1, NULL, 'it''s', "b", [2, 3]]`, split at top-level commas; elements trimmed, quotes
    /// removed, `NULL` as nil; nested brackets kept whole.
    static func listTextElements(_ text: String) -> [String?]? {
        let t = Array(text.trimmingCharacters(in: .whitespaces))
        guard t.first == "[", t.last == "]" else { return nil }
        let inner = t.dropFirst().dropLast()
        if inner.allSatisfy({ $0 == " " }) { return [] }
        var elements: [String?] = []
        var current: [Character] = []
        var depth = 0
        var quote: Character? = nil
        var quoted = false
        var iterator = Array(inner).makeIterator()
        func finish() -> Bool {
            let element = String(current).trimmingCharacters(in: .whitespaces)
            if element.isEmpty && !quoted { return false }
            elements.append(!quoted && element.uppercased() == "NULL" ? nil : element)
            current = []; quoted = false
            return true
        }
        while let c = iterator.next() {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
                continue
            }
            switch c {
            case "'", "\"" where depth == 0 && String(current).trimmingCharacters(in: .whitespaces).isEmpty:
                quote = c; quoted = true; current = []
            case "[", "{": depth += 1; current.append(c)
            case "]", "}":
                depth -= 1
                guard depth >= 0 else { return nil }
                current.append(c)
            case "," where depth == 0:
                guard finish() else { return nil }
            default: current.append(c)
            }
        }
        guard quote == nil, depth == 0, finish() else { return nil }
        return elements
    }
}
