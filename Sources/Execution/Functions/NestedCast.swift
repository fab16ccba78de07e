import Storage

/// Casts to and from ROW and MAP types: ROW to ROW field by field in order (Trino: the target's names), MAP to MAP
/// key and value wise, both to VARCHAR as they print, and JSON text to either (Trino's `CAST(json AS ROW(…))` matches
/// object members to fields by name, case-insensitively, or takes a JSON array's elements in order; `CAST(json AS
/// MAP(K, V))` takes an object's members). Members become text first (strings unescaped, nested values as JSON) and
/// are then cast like any text, so nested ARRAY / ROW / MAP types recurse.
public enum NestedCast {
    /// Whether `from` casts to `to` when either involves ROW or MAP; nil when neither does.
    static func canCast(from: DataType, to: DataType) -> Bool? {
        guard from.isRowOrMap || to.isRowOrMap else { return nil }
        if from == .null { return true }
        switch (from, to) {
        case (.row, .varchar), (.map, .varchar), (.varchar, .row), (.varchar, .map): return true
        case let (.row(a), .row(b)):
            return a.count == b.count && zip(a, b).allSatisfy { CastKernels.canCast(from: $0.type, to: $1.type) }
        case let (.map(k1, v1), .map(k2, v2)):
            return CastKernels.canCast(from: k1, to: k2) && CastKernels.canCast(from: v1, to: v2)
        default: return false
        }
    }

    /// Whether `text` converts to `type` (a ROW or MAP; what a load checks per field before keeping it).
    public static func converts(_ text: String, to type: DataType, settings: SessionSettings) -> Bool {
        var strings = StringArray()
        strings.append(text)
        let column = Column(type: .varchar, data: .string(strings))
        guard let result = try? fromJSON(column, to: type, isTry: true, settings: settings) else { return false }
        return !result.isNull(0)
    }

    static func cast(_ column: Column, to target: DataType, isTry: Bool, settings: SessionSettings) throws -> Column {
        switch (column.type, target) {
        case (.varchar, .row), (.varchar, .map):
            return try fromJSON(column, to: target, isTry: isTry, settings: settings)
        case let (.row, .row(fields)):
            guard case let .fields(columns) = column.data else { throw TarnError(.internal, "a \(column.type) column without fields") }
            let cast = try zip(columns, fields).map { try CastKernels.cast($0, to: $1.type, isTry: isTry, settings: settings) }
            return Column(type: target, data: .fields(cast), validity: column.validity)
        case let (.map, .map(k, v)):
            guard case let .list(offsets, child) = column.data else { throw TarnError(.internal, "a \(column.type) column without entries") }
            let entries = try cast(child, to: .row(RowField.mapEntry(key: k, value: v)), isTry: isTry, settings: settings)
            return Column(type: target, data: .list(offsets: offsets, child: entries), validity: column.validity)
        default:
            throw TarnError.semantic("cannot cast \(column.type) to \(target)")
        }
    }

    /// Per row: the JSON text's parts as text (nil: JSON null or absent), or nil when the text does not fit the type.
    private static func parts(_ text: String, _ target: DataType) -> (keys: [String], values: [String?])? {
        let document = JSONDocument(text)
        guard let root = document.root() else { return nil }
        func partText(_ span: JSONDocument.Span) -> String? {
            switch span.kind {
            case .null: return nil
            case .string, .number, .boolean: return document.scalarText(span) ?? ""
            case .array, .object: return document.canonical(span)
            }
        }
        switch target {
        case let .row(fields):
            if root.kind == .array {
                let elements = document.elements(of: root)
                guard elements.count == fields.count else { return nil }
                return ([], elements.map(partText))
            }
            guard root.kind == .object else { return nil }
            let members = document.members(of: root)
            var values: [String?] = []
            for field in fields {
                let lower = field.name.lowercased()
                let member = members.first(where: { $0.key == field.name }) ?? members.first(where: { $0.key.lowercased() == lower })
                values.append(member.flatMap { partText($0.value) })
            }
            return ([], values)
        default:
            guard root.kind == .object else { return nil }
            let members = document.members(of: root)
            return (members.map(\.key), members.map { partText($0.value) })
        }
    }

    private static func fromJSON(_ column: Column, to target: DataType, isTry: Bool, settings: SessionSettings) throws -> Column {
        let reader = try StringColumnReader(column)
        let n = column.count
        var validity = [UInt8](repeating: 1, count: n)
        var rowParts: [(keys: [String], values: [String?])] = []
        rowParts.reserveCapacity(n)
        for row in 0 ..< n {
            if column.isNull(row) { validity[row] = 0; rowParts.append(([], [])); continue }
            let text = reader.string(row)
            guard let p = parts(text, target) else {
                if isTry { validity[row] = 0; rowParts.append(([], [])); continue }
                throw TarnError(.execution, "cannot cast '\(text.prefix(60))' to \(target) (not a JSON \(target.rowFields != nil ? "object or array" : "object") of that shape)")
            }
            rowParts.append(p)
        }
        func textColumn(_ texts: [String?]) -> Column {
            var b = ColumnBuilder(type: .varchar, capacity: texts.count)
            for t in texts { if let t { b.append(string: t) } else { b.appendNull() } }
            return b.finish()
        }
        /// Casts texts to `type`; a text that does not convert fails the cast or (TRY_CAST) its row.
        func convert(_ texts: [String?], to type: DataType, rows: [Int]) throws -> Column {
            let source = textColumn(texts)
            let converted = try CastKernels.cast(source, to: type, isTry: true, settings: settings)
            for k in 0 ..< converted.count where converted.isNull(k) && !source.isNull(k) {
                if !isTry { throw TarnError(.execution, "cannot cast '\(texts[k] ?? "")' to \(type) (a part of \(target))") }
                validity[rows[k]] = 0
            }
            return converted
        }
        switch target {
        case let .row(fields):
            let rows = Array(0 ..< n)
            var columns = try fields.indices.map { f in
                try convert(rowParts.map { $0.values.count > f ? $0.values[f] : nil }, to: fields[f].type, rows: rows)
            }
            if validity.contains(0) {
                columns = columns.map { c in
                    var c = c
                    var v = c.validity ?? [UInt8](repeating: 1, count: n)
                    for r in 0 ..< n where validity[r] == 0 { v[r] = 0 }
                    c.validity = v
                    return c
                }
            }
            return Column(type: target, data: .fields(columns), validity: ColumnKernels.normalized(validity))
        case let .map(k, v):
            var keys: [String?] = [], values: [String?] = [], owners: [Int] = []
            for (row, p) in rowParts.enumerated() {
                keys += p.keys.map { Optional($0) }
                values += p.values
                owners += [Int](repeating: row, count: p.keys.count)
            }
            let keyColumn = try convert(keys, to: k, rows: owners), valueColumn = try convert(values, to: v, rows: owners)
            var picks: [Int32] = [], offsets: [Int32] = [0]
            var start = 0
            for (row, p) in rowParts.enumerated() {
                if validity[row] != 0 { for e in start ..< start + p.keys.count { picks.append(Int32(e)) } }
                start += p.keys.count
                offsets.append(Int32(picks.count))
            }
            let entries = Column(type: .row(RowField.mapEntry(key: k, value: v)), data: .fields([keyColumn, valueColumn])).gather(picks)
            return Column(type: target, data: .list(offsets: offsets, child: entries), validity: ColumnKernels.normalized(validity))
        default:
            throw TarnError.semantic("cannot cast VARCHAR to \(target)")
        }
    }
}
